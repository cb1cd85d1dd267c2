using System.Runtime.InteropServices;

namespace FastMQ.Interop;

/// <summary>
/// <c>struct io_uring_params</c>: passed to io_uring_setup and filled back with the ring sizes, supported features
/// and ring field offsets. Keep in sync with include/uapi/linux/io_uring.h.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct IoUringParams
{
    public const int Size = 120;

    [FieldOffset(0)] public uint SqEntries;
    [FieldOffset(4)] public uint CqEntries;
    [FieldOffset(8)] public uint Flags;
    [FieldOffset(12)] public uint SqThreadCpu;
    [FieldOffset(16)] public uint SqThreadIdle;
    [FieldOffset(20)] public uint Features;
    [FieldOffset(24)] public uint WqFd;
    // 28..40: resv[3], must be zero.
    [FieldOffset(40)] public IoSqringOffsets SqOff;
    [FieldOffset(80)] public IoCqringOffsets CqOff;
}
