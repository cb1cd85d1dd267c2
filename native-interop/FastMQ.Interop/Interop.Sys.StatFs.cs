using System.Runtime.InteropServices;

namespace FastMQ.Interop;

internal static unsafe partial class Interop
{
    internal static partial class Sys
    {
        [LibraryImport(Libc, EntryPoint = "statfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int StatFs(string path, StatFsBuffer* buffer);

        /// <summary>
        /// Linux <c>struct statfs</c> on 64-bit x86_64 and aarch64 (every word 8 bytes). Keep in sync with the kernel's
        /// include/uapi/asm-generic/statfs.h and arch/x86/include/uapi/asm/statfs.h.
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = Size)]
        internal struct StatFsBuffer
        {
            public const int Size = 120;

            [FieldOffset(0)] public long Type;
            [FieldOffset(8)] public long BlockSize;
            [FieldOffset(16)] public ulong Blocks;
            [FieldOffset(24)] public ulong BlocksFree;
            [FieldOffset(32)] public ulong BlocksAvailable;
            [FieldOffset(40)] public ulong Files;
            [FieldOffset(48)] public ulong FilesFree;
            [FieldOffset(56)] public ulong FsId;
            [FieldOffset(64)] public long NameLength;
            [FieldOffset(72)] public long FragmentSize;
            [FieldOffset(80)] public long Flags;
            // 88..120: f_spare[4]
        }
    }
}
