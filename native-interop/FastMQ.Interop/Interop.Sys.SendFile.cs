using System.Runtime.InteropServices;

namespace FastMQ.Interop;

internal static unsafe partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>Copies up to count bytes from inFd at *offset to outFd inside the kernel and advances *offset.</summary>
        [LibraryImport(Libc, EntryPoint = "sendfile", SetLastError = true)]
        internal static partial nint SendFile(int outFd, int inFd, long* offset, nuint count);
    }
}
