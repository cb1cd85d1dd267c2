using System.Runtime.InteropServices;

namespace FastMQ.Interop;

internal static unsafe partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>
        /// libc's <c>long syscall(long number, ...)</c>: -1 and errno on failure. Declared with six fixed arguments:
        /// on x86_64 and aarch64 Linux, variadic integer arguments travel in the same registers (and stack slot) as
        /// fixed ones, and glibc's syscall() only moves them into the kernel's registers, so the declaration matches.
        /// Unused trailing arguments are passed as 0.
        /// </summary>
        [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
        internal static partial long Syscall(long number, nint arg1, nint arg2, nint arg3, nint arg4, nint arg5, nint arg6);

        /// <summary>True where FastMQ knows the syscall numbers (x86_64 and aarch64).</summary>
        internal static bool SyscallNumbersKnown =>
            RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

        /// <summary>fstat's number differs: x86_64 keeps the legacy table, aarch64 uses the generic one.</summary>
        internal static long SysFStat => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 80 : 5;

        /// <summary>
        /// Byte offsets in the kernel's <c>struct stat</c> that FastMQ reads. They coincide on x86_64 (144-byte
        /// struct) and aarch64 (128-byte generic struct): st_size at 48, st_blocks (512-byte units) at 64.
        /// </summary>
        internal const int StatBufferSize = 256;
        internal const int StatSizeOffset = 48;
        internal const int StatBlocksOffset = 64;
    }
}
