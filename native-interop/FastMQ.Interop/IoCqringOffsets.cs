using System.Runtime.InteropServices;

namespace FastMQ.Interop;

/// <summary>
/// <c>struct io_cqring_offsets</c>: where each completion-ring field lives in the CQ ring mapping, filled by
/// io_uring_setup. Keep in sync with include/uapi/linux/io_uring.h.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct IoCqringOffsets
{
    public const int Size = 40;

    [FieldOffset(0)] public uint Head;
    [FieldOffset(4)] public uint Tail;
    [FieldOffset(8)] public uint RingMask;
    [FieldOffset(12)] public uint RingEntries;
    [FieldOffset(16)] public uint Overflow;
    [FieldOffset(20)] public uint Cqes;
    [FieldOffset(24)] public uint Flags;
    [FieldOffset(28)] public uint Resv1;
    [FieldOffset(32)] public ulong UserAddr;
}
