using System.Runtime.InteropServices;

namespace FastMQ.Interop;

/// <summary>
/// libc file syscalls. Every function returns -1 and sets errno on failure (read it with
/// <see cref="Marshal.GetLastPInvokeError"/>); wrappers in <see cref="NativeFile"/> turn that into exceptions.
/// </summary>
internal static unsafe partial class Interop
{
    internal static partial class Sys
    {
        private const string Libc = "libc";

        // Linux x86_64 / aarch64 open(2) flags.
        internal const int O_RDONLY = 0x0;
        internal const int O_WRONLY = 0x1;
        internal const int O_RDWR = 0x2;
        internal const int O_CREAT = 0x40;
        internal const int O_EXCL = 0x80;
        internal const int O_TRUNC = 0x200;
        internal const int O_CLOEXEC = 0x80000;
        internal const int O_DIRECT = 0x4000;   // x86_64; aarch64 uses 0x10000 (see NativeFile.DirectFlag)
        internal const int O_DIRECTORY = 0x10000;

        [LibraryImport(Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int Open(string path, int flags, int mode);

        [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);

        [LibraryImport(Libc, EntryPoint = "pread", SetLastError = true)]
        internal static partial nint PRead(int fd, byte* buffer, nuint count, long offset);

        [LibraryImport(Libc, EntryPoint = "pwrite", SetLastError = true)]
        internal static partial nint PWrite(int fd, byte* buffer, nuint count, long offset);

        [LibraryImport(Libc, EntryPoint = "fallocate", SetLastError = true)]
        internal static partial int FAllocate(int fd, int mode, long offset, long length);

        [LibraryImport(Libc, EntryPoint = "fsync", SetLastError = true)]
        internal static partial int FSync(int fd);

        [LibraryImport(Libc, EntryPoint = "fdatasync", SetLastError = true)]
        internal static partial int FDataSync(int fd);

        [LibraryImport(Libc, EntryPoint = "ftruncate", SetLastError = true)]
        internal static partial int FTruncate(int fd, long length);

        [LibraryImport(Libc, EntryPoint = "lseek", SetLastError = true)]
        internal static partial long LSeek(int fd, long offset, int whence);

        internal const int SEEK_END = 2;

        [LibraryImport(Libc, EntryPoint = "strerror")]
        internal static partial byte* StrError(int errnum);
    }
}
