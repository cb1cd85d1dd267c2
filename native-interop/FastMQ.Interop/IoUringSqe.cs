using System.Runtime.InteropServices;

namespace FastMQ.Interop;

/// <summary>
/// <c>struct io_uring_sqe</c> (64 bytes; FastMQ never sets IORING_SETUP_SQE128). Unions are flattened to the
/// member FastMQ uses. Keep in sync with include/uapi/linux/io_uring.h.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct IoUringSqe
{
    public const int Size = 64;

    [FieldOffset(0)] public byte Opcode;
    [FieldOffset(1)] public byte Flags;          // IOSQE_*
    [FieldOffset(2)] public ushort IoPrio;       // also send/recv/accept modifier flags
    [FieldOffset(4)] public int Fd;              // fd, or registered-file index with IOSQE_FIXED_FILE
    [FieldOffset(8)] public ulong Off;           // file offset; addr2 (accept: socklen_t*)
    [FieldOffset(16)] public ulong Addr;         // buffer, iovec array or sockaddr
    [FieldOffset(24)] public uint Len;           // bytes, or iovec count
    [FieldOffset(28)] public uint OpFlags;       // rw_flags, fsync_flags, msg_flags, accept_flags, poll32_events
    [FieldOffset(32)] public ulong UserData;
    [FieldOffset(40)] public ushort BufIndex;    // registered-buffer index for READ_FIXED/WRITE_FIXED
    [FieldOffset(42)] public ushort Personality;
    [FieldOffset(44)] public int FileIndex;      // splice_fd_in / file_index
    [FieldOffset(48)] public ulong Addr3;
    [FieldOffset(56)] public ulong Pad2;
}
