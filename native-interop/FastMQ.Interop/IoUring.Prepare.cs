namespace FastMQ.Interop;

/// <remarks>
/// Each <c>TryPrepare*</c> fills the next SQE and returns false, touching nothing, when the SQ is full. Nothing
/// reaches the kernel until <see cref="Submit"/>. <c>fd</c> is a file descriptor, or a registered-file index when
/// the flags have <see cref="IoUringSqeFlags.FixedFile"/>. Results arrive as <see cref="IoUringCqe"/>
/// carrying <c>userData</c>.
/// </remarks>
public sealed unsafe partial class IoUring
{
    /// <summary>IORING_OP_NOP: completes with result 0; useful to wake a waiter or test the ring.</summary>
    public bool TryPrepareNop(ulong userData, IoUringSqeFlags flags = IoUringSqeFlags.None) =>
        TryPrepare(Interop.Uring.IORING_OP_NOP, flags, -1, 0, 0, 0, userData);

    /// <summary>IORING_OP_WRITE: writes <paramref name="length"/> bytes at <paramref name="fileOffset"/> (-1 = the file position).</summary>
    public bool TryPrepareWrite(int fd, byte* buffer, int length, long fileOffset, ulong userData,
        IoUringSqeFlags flags = IoUringSqeFlags.None) =>
        TryPrepare(Interop.Uring.IORING_OP_WRITE, flags, fd, (ulong)buffer, CheckLength(length), (ulong)fileOffset, userData);

    /// <summary>IORING_OP_READ: reads up to <paramref name="length"/> bytes from <paramref name="fileOffset"/>; result 0 = end of file.</summary>
    public bool TryPrepareRead(int fd, byte* buffer, int length, long fileOffset, ulong userData,
        IoUringSqeFlags flags = IoUringSqeFlags.None) =>
        TryPrepare(Interop.Uring.IORING_OP_READ, flags, fd, (ulong)buffer, CheckLength(length), (ulong)fileOffset, userData);

    /// <summary>IORING_OP_WRITEV: gathers <paramref name="count"/> buffers into one write (the iovec array must stay valid until completion).</summary>
    public bool TryPrepareWriteV(int fd, IoVec* iovecs, int count, long fileOffset, ulong userData,
        IoUringSqeFlags flags = IoUringSqeFlags.None) =>
        TryPrepare(Interop.Uring.IORING_OP_WRITEV, flags, fd, (ulong)iovecs, CheckLength(count), (ulong)fileOffset, userData);

    /// <summary>IORING_OP_READV: scatters one read into <paramref name="count"/> buffers.</summary>
    public bool TryPrepareReadV(int fd, IoVec* iovecs, int count, long fileOffset, ulong userData,
        IoUringSqeFlags flags = IoUringSqeFlags.None) =>
        TryPrepare(Interop.Uring.IORING_OP_READV, flags, fd, (ulong)iovecs, CheckLength(count), (ulong)fileOffset, userData);

    /// <summary>
    /// IORING_OP_FSYNC: fdatasync (<paramref name="dataOnly"/>, IORING_FSYNC_DATASYNC) or fsync. It is not ordered
    /// after earlier submissions unless <paramref name="flags"/> has <see cref="IoUringSqeFlags.IoDrain"/> (or the
    /// writes are linked to it).
    /// </summary>
    public bool TryPrepareFsync(int fd, bool dataOnly, ulong userData, IoUringSqeFlags flags = IoUringSqeFlags.None)
    {
        IoUringSqe* sqe = TryClaim(Interop.Uring.IORING_OP_FSYNC, flags, fd, userData);
        if (sqe == null)
        {
            return false;
        }
        sqe->OpFlags = dataOnly ? Interop.Uring.IORING_FSYNC_DATASYNC : 0;
        return true;
    }

    /// <summary>IORING_OP_READ_FIXED: like read, into registered buffer <paramref name="bufferIndex"/> (<paramref name="buffer"/> must lie inside it).</summary>
    public bool TryPrepareReadFixed(int fd, byte* buffer, int length, long fileOffset, ushort bufferIndex, ulong userData,
        IoUringSqeFlags flags = IoUringSqeFlags.None) =>
        TryPrepareFixed(Interop.Uring.IORING_OP_READ_FIXED, fd, buffer, length, fileOffset, bufferIndex, userData, flags);

    /// <summary>IORING_OP_WRITE_FIXED: like write, from registered buffer <paramref name="bufferIndex"/>.</summary>
    public bool TryPrepareWriteFixed(int fd, byte* buffer, int length, long fileOffset, ushort bufferIndex, ulong userData,
        IoUringSqeFlags flags = IoUringSqeFlags.None) =>
        TryPrepareFixed(Interop.Uring.IORING_OP_WRITE_FIXED, fd, buffer, length, fileOffset, bufferIndex, userData, flags);

    /// <summary>IORING_OP_SEND: send(2) on a connected socket; <paramref name="msgFlags"/> are MSG_* flags.</summary>
    public bool TryPrepareSend(int socketFd, byte* buffer, int length, int msgFlags, ulong userData,
        IoUringSqeFlags flags = IoUringSqeFlags.None) =>
        TryPrepareSocket(Interop.Uring.IORING_OP_SEND, socketFd, buffer, length, msgFlags, userData, flags);

    /// <summary>IORING_OP_RECV: recv(2); result 0 = the peer closed the connection.</summary>
    public bool TryPrepareRecv(int socketFd, byte* buffer, int length, int msgFlags, ulong userData,
        IoUringSqeFlags flags = IoUringSqeFlags.None) =>
        TryPrepareSocket(Interop.Uring.IORING_OP_RECV, socketFd, buffer, length, msgFlags, userData, flags);

    /// <summary>
    /// IORING_OP_ACCEPT: accept4(2) on a listening socket; the result is the new connection's fd. <paramref name="address"/>
    /// and <paramref name="addressLength"/> may both be null; <paramref name="acceptFlags"/> are SOCK_* flags (e.g. SOCK_CLOEXEC).
    /// </summary>
    public bool TryPrepareAccept(int socketFd, void* address, uint* addressLength, int acceptFlags, ulong userData,
        IoUringSqeFlags flags = IoUringSqeFlags.None)
    {
        IoUringSqe* sqe = TryClaim(Interop.Uring.IORING_OP_ACCEPT, flags, socketFd, userData);
        if (sqe == null)
        {
            return false;
        }
        sqe->Addr = (ulong)address;
        sqe->Off = (ulong)addressLength; // addr2
        sqe->OpFlags = (uint)acceptFlags;
        return true;
    }

    /// <summary>IORING_OP_CLOSE: closes <paramref name="fd"/> (a plain descriptor; not with <see cref="IoUringSqeFlags.FixedFile"/>).</summary>
    public bool TryPrepareClose(int fd, ulong userData, IoUringSqeFlags flags = IoUringSqeFlags.None) =>
        TryClaim(Interop.Uring.IORING_OP_CLOSE, flags, fd, userData) != null;

    /// <summary>
    /// IORING_OP_POLL_ADD (one-shot): completes when <paramref name="fd"/> has any of <paramref name="pollEvents"/>
    /// (POLLIN 0x1, POLLOUT 0x4, ...); the result is the ready mask.
    /// </summary>
    public bool TryPreparePollAdd(int fd, uint pollEvents, ulong userData, IoUringSqeFlags flags = IoUringSqeFlags.None)
    {
        IoUringSqe* sqe = TryClaim(Interop.Uring.IORING_OP_POLL_ADD, flags, fd, userData);
        if (sqe == null)
        {
            return false;
        }
        sqe->OpFlags = pollEvents; // poll32_events; little-endian hosts need no word swap
        return true;
    }

    private bool TryPrepare(byte opcode, IoUringSqeFlags flags, int fd, ulong addr, uint length, ulong offset, ulong userData)
    {
        IoUringSqe* sqe = TryClaim(opcode, flags, fd, userData);
        if (sqe == null)
        {
            return false;
        }
        sqe->Addr = addr;
        sqe->Len = length;
        sqe->Off = offset;
        return true;
    }

    private bool TryPrepareFixed(byte opcode, int fd, byte* buffer, int length, long fileOffset, ushort bufferIndex,
        ulong userData, IoUringSqeFlags flags)
    {
        uint len = CheckLength(length); // before claiming, so a bad argument leaves the SQ untouched
        IoUringSqe* sqe = TryClaim(opcode, flags, fd, userData);
        if (sqe == null)
        {
            return false;
        }
        sqe->Addr = (ulong)buffer;
        sqe->Len = len;
        sqe->Off = (ulong)fileOffset;
        sqe->BufIndex = bufferIndex;
        return true;
    }

    private bool TryPrepareSocket(byte opcode, int socketFd, byte* buffer, int length, int msgFlags, ulong userData,
        IoUringSqeFlags flags)
    {
        uint len = CheckLength(length);
        IoUringSqe* sqe = TryClaim(opcode, flags, socketFd, userData);
        if (sqe == null)
        {
            return false;
        }
        sqe->Addr = (ulong)buffer;
        sqe->Len = len;
        sqe->OpFlags = (uint)msgFlags;
        return true;
    }

    private IoUringSqe* TryClaim(byte opcode, IoUringSqeFlags flags, int fd, ulong userData)
    {
        IoUringSqe* sqe = TryClaimSqe();
        if (sqe != null)
        {
            sqe->Opcode = opcode;
            sqe->Flags = (byte)flags;
            sqe->Fd = fd;
            sqe->UserData = userData;
        }
        return sqe;
    }

    private static uint CheckLength(int length)
    {
        if (length < 0)
        {
            InteropThrowHelper.ArgumentOutOfRange(nameof(length), "must not be negative");
        }
        return (uint)length;
    }
}
