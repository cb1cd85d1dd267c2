using System.Runtime.InteropServices;

namespace FastMQ.Interop;

/// <summary>
/// <c>struct io_sqring_offsets</c>: where each submission-ring field lives in the SQ ring mapping, filled by
/// io_uring_setup. Keep in sync with include/uapi/linux/io_uring.h.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct IoSqringOffsets
{
    public const int Size = 40;

    [FieldOffset(0)] public uint Head;
    [FieldOffset(4)] public uint Tail;
    [FieldOffset(8)] public uint RingMask;
    [FieldOffset(12)] public uint RingEntries;
    [FieldOffset(16)] public uint Flags;
    [FieldOffset(20)] public uint Dropped;
    [FieldOffset(24)] public uint Array;
    [FieldOffset(28)] public uint Resv1;
    [FieldOffset(32)] public ulong UserAddr;
}
