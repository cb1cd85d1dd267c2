using System.Runtime.InteropServices;

namespace FastMQ.Interop;

internal static unsafe partial class Interop
{
    internal static partial class Sys
    {
        internal const int EFD_NONBLOCK = 0x800;
        internal const int EFD_CLOEXEC = 0x80000;

        [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
        internal static partial int EventFd(uint initialValue, int flags);

        [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
        internal static partial nint Write(int fd, void* buffer, nuint count);
    }
}
