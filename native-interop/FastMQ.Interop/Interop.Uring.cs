namespace FastMQ.Interop;

internal static unsafe partial class Interop
{
    /// <summary>
    /// io_uring syscalls and constants (include/uapi/linux/io_uring.h). The three syscalls share one number on every
    /// architecture added after 5.1, including x86_64 and aarch64. All return -1 and set errno on failure.
    /// </summary>
    internal static class Uring
    {
        internal const long SysSetup = 425;
        internal const long SysEnter = 426;
        internal const long SysRegister = 427;

        // Opcodes (enum io_uring_op).
        internal const byte IORING_OP_NOP = 0;
        internal const byte IORING_OP_READV = 1;
        internal const byte IORING_OP_WRITEV = 2;
        internal const byte IORING_OP_FSYNC = 3;
        internal const byte IORING_OP_READ_FIXED = 4;
        internal const byte IORING_OP_WRITE_FIXED = 5;
        internal const byte IORING_OP_POLL_ADD = 6;
        internal const byte IORING_OP_SENDMSG = 9;
        internal const byte IORING_OP_RECVMSG = 10;
        internal const byte IORING_OP_ACCEPT = 13;
        internal const byte IORING_OP_CLOSE = 19;
        internal const byte IORING_OP_READ = 22;
        internal const byte IORING_OP_WRITE = 23;
        internal const byte IORING_OP_SEND = 26;
        internal const byte IORING_OP_RECV = 27;

        internal const uint IORING_FSYNC_DATASYNC = 1u << 0;

        // io_uring_setup flags.
        internal const uint IORING_SETUP_CQSIZE = 1u << 3;
        internal const uint IORING_SETUP_COOP_TASKRUN = 1u << 8;
        internal const uint IORING_SETUP_TASKRUN_FLAG = 1u << 9;
        internal const uint IORING_SETUP_SINGLE_ISSUER = 1u << 12;

        // io_uring_params.features.
        internal const uint IORING_FEAT_SINGLE_MMAP = 1u << 0;
        internal const uint IORING_FEAT_NODROP = 1u << 1;

        // sq_ring->flags.
        internal const uint IORING_SQ_NEED_WAKEUP = 1u << 0;
        internal const uint IORING_SQ_CQ_OVERFLOW = 1u << 1;
        internal const uint IORING_SQ_TASKRUN = 1u << 2;

        // io_uring_enter flags.
        internal const uint IORING_ENTER_GETEVENTS = 1u << 0;

        // mmap offsets selecting which region of the ring fd to map.
        internal const long IORING_OFF_SQ_RING = 0;
        internal const long IORING_OFF_CQ_RING = 0x8000000;
        internal const long IORING_OFF_SQES = 0x10000000;

        // io_uring_register opcodes.
        internal const uint IORING_REGISTER_BUFFERS = 0;
        internal const uint IORING_UNREGISTER_BUFFERS = 1;
        internal const uint IORING_REGISTER_FILES = 2;
        internal const uint IORING_UNREGISTER_FILES = 3;
        internal const uint IORING_REGISTER_EVENTFD = 4;
        internal const uint IORING_UNREGISTER_EVENTFD = 5;

        /// <summary>The kernel's cap on SQ entries (IORING_MAX_ENTRIES).</summary>
        internal const uint MaxEntries = 32768;

        internal static int Setup(uint entries, IoUringParams* p) =>
            (int)Sys.Syscall(SysSetup, (nint)entries, (nint)p, 0, 0, 0, 0);

        internal static int Enter(int ringFd, uint toSubmit, uint minComplete, uint flags) =>
            (int)Sys.Syscall(SysEnter, ringFd, (nint)toSubmit, (nint)minComplete, (nint)flags, 0, 0);

        internal static int Register(int ringFd, uint opcode, void* arg, uint count) =>
            (int)Sys.Syscall(SysRegister, ringFd, (nint)opcode, (nint)arg, (nint)count, 0, 0);
    }
}
