using System.Runtime.InteropServices;

namespace FastMQ.Interop;

internal static unsafe partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>Bytes of CPU mask passed to the kernel: 8192 CPUs, more than any machine FastMQ targets.</summary>
        internal const int CpuMaskBytes = 1024;

        /// <summary>pid 0 = the calling thread (a Linux task), not the whole process.</summary>
        [LibraryImport(Libc, EntryPoint = "sched_setaffinity", SetLastError = true)]
        internal static partial int SchedSetAffinity(int pid, nuint maskSize, byte* mask);

        /// <summary>Returns the bytes of mask the kernel filled (raw syscall semantics through glibc: 0 on success).</summary>
        [LibraryImport(Libc, EntryPoint = "sched_getaffinity", SetLastError = true)]
        internal static partial int SchedGetAffinity(int pid, nuint maskSize, byte* mask);

        [LibraryImport(Libc, EntryPoint = "sched_getcpu", SetLastError = true)]
        internal static partial int SchedGetCpu();
    }
}
