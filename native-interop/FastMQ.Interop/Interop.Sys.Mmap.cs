using System.Runtime.InteropServices;

namespace FastMQ.Interop;

internal static unsafe partial class Interop
{
    internal static partial class Sys
    {
        internal const int PROT_READ = 0x1;
        internal const int PROT_WRITE = 0x2;
        internal const int MAP_SHARED = 0x01;
        internal const int MAP_POPULATE = 0x8000;   // same on x86_64 and aarch64

        /// <summary>mmap's failure value, (void*)-1.</summary>
        internal static readonly void* MapFailed = (void*)-1;

        [LibraryImport(Libc, EntryPoint = "mmap", SetLastError = true)]
        internal static partial void* MMap(void* address, nuint length, int protection, int flags, int fd, long offset);

        [LibraryImport(Libc, EntryPoint = "munmap", SetLastError = true)]
        internal static partial int MUnmap(void* address, nuint length);

        /// <summary>Sets vector[i] bit 0 when page i of [address, address+length) is resident in memory.</summary>
        [LibraryImport(Libc, EntryPoint = "mincore", SetLastError = true)]
        internal static partial int MInCore(void* address, nuint length, byte* vector);
    }
}
