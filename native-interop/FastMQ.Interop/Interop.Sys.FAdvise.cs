using System.Runtime.InteropServices;

namespace FastMQ.Interop;

internal static unsafe partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>Returns 0 or an errno value directly (posix_fadvise does not set errno).</summary>
        [LibraryImport(Libc, EntryPoint = "posix_fadvise")]
        internal static partial int PosixFAdvise(int fd, long offset, long length, int advice);
    }
}
