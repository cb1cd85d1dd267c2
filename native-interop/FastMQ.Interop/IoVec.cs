using System.Runtime.InteropServices;

namespace FastMQ.Interop;

/// <summary>
/// <c>struct iovec</c> (16 bytes on 64-bit Linux): one buffer of a vectored read/write or of a registered-buffer
/// table. Keep in sync with include/uapi/linux/uio.h.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public readonly unsafe struct IoVec
{
    public const int Size = 16;

    [FieldOffset(0)] public readonly nint Base;
    [FieldOffset(8)] public readonly nuint Length;

    public IoVec(void* buffer, int length)
    {
        Base = (nint)buffer;
        Length = (nuint)(uint)length;
    }
}
