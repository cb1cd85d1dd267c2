using System;
using System.Runtime.InteropServices;

namespace FastMQ.Interop;

/// <summary>How <see cref="NativeFile.Open"/> opens a file.</summary>
[Flags]
public enum NativeOpenFlags
{
    ReadOnly = 0,
    ReadWrite = 1,
    Create = 2,
    /// <summary>O_DIRECT: bypass the page cache; buffers, lengths and offsets must be 4096-aligned.</summary>
    Direct = 4,
    Truncate = 8,
}

/// <summary>
/// An open file descriptor with the synchronous syscalls FastMQ needs off the hot path (preallocation, recovery
/// reads, truncation, sync). Hot-path writes go through io_uring with <see cref="Fd"/>.
/// </summary>
/// <remarks>Not thread-safe for <see cref="Dispose"/>; the other calls are plain syscalls and may race only as the kernel allows.</remarks>
public sealed unsafe class NativeFile : IDisposable
{
    private int _fd;

    private NativeFile(int fd, string path, bool direct)
    {
        _fd = fd;
        Path = path;
        IsDirect = direct;
    }

    /// <summary>The raw descriptor, valid until <see cref="Dispose"/>.</summary>
    public int Fd => _fd >= 0 ? _fd : throw new ObjectDisposedException(Path);

    public string Path { get; }

    public bool IsDirect { get; }

    /// <summary>O_DIRECT for the running architecture (it differs between x86_64 and aarch64).</summary>
    internal static int DirectFlag => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm
        ? 0x10000
        : Interop.Sys.O_DIRECT;

    public static NativeFile Open(string path, NativeOpenFlags flags, int mode = 0b110_100_100)
    {
        int f = Interop.Sys.O_CLOEXEC;
        f |= (flags & NativeOpenFlags.ReadWrite) != 0 ? Interop.Sys.O_RDWR : Interop.Sys.O_RDONLY;
        if ((flags & NativeOpenFlags.Create) != 0)
        {
            f |= Interop.Sys.O_CREAT;
        }
        if ((flags & NativeOpenFlags.Truncate) != 0)
        {
            f |= Interop.Sys.O_TRUNC;
        }
        bool direct = (flags & NativeOpenFlags.Direct) != 0;
        if (direct)
        {
            f |= DirectFlag;
        }
        int fd = Interop.Sys.Open(path, f, mode);
        if (fd < 0)
        {
            throw Errors.IOException($"open({path})", Marshal.GetLastPInvokeError());
        }
        return new NativeFile(fd, path, direct);
    }

    /// <summary>File size in bytes (lseek to the end).</summary>
    public long Length
    {
        get
        {
            long r = Interop.Sys.LSeek(Fd, 0, Interop.Sys.SEEK_END);
            return r >= 0 ? r : throw Errors.IOException($"lseek({Path})", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>fallocate(mode 0): reserves blocks for [offset, offset+length) and extends the size; the range reads as zeros.</summary>
    public void Allocate(long offset, long length)
    {
        if (Interop.Sys.FAllocate(Fd, 0, offset, length) != 0)
        {
            throw Errors.IOException($"fallocate({Path}, {offset}, {length})", Marshal.GetLastPInvokeError());
        }
    }

    public void Truncate(long length)
    {
        if (Interop.Sys.FTruncate(Fd, length) != 0)
        {
            throw Errors.IOException($"ftruncate({Path}, {length})", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>fdatasync (<paramref name="dataOnly"/>) or fsync.</summary>
    public void Sync(bool dataOnly = true)
    {
        int r = dataOnly ? Interop.Sys.FDataSync(Fd) : Interop.Sys.FSync(Fd);
        if (r != 0)
        {
            throw Errors.IOException($"{(dataOnly ? "fdatasync" : "fsync")}({Path})", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or end of file; returns the bytes read.</summary>
    public int ReadAt(Span<byte> buffer, long offset)
    {
        int total = 0;
        fixed (byte* p = buffer)
        {
            while (total < buffer.Length)
            {
                nint n = Interop.Sys.PRead(Fd, p + total, (nuint)(buffer.Length - total), offset + total);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Errors.EINTR)
                    {
                        continue;
                    }
                    throw Errors.IOException($"pread({Path}, {offset + total})", errno);
                }
                if (n == 0)
                {
                    break;
                }
                total += (int)n;
            }
        }
        return total;
    }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>.</summary>
    public void WriteAt(ReadOnlySpan<byte> data, long offset)
    {
        int total = 0;
        fixed (byte* p = data)
        {
            while (total < data.Length)
            {
                nint n = Interop.Sys.PWrite(Fd, p + total, (nuint)(data.Length - total), offset + total);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Errors.EINTR)
                    {
                        continue;
                    }
                    throw Errors.IOException($"pwrite({Path}, {offset + total})", errno);
                }
                total += (int)n;
            }
        }
    }

    /// <summary>Bytes of disk actually allocated to the file (fstat st_blocks × 512): shows what fallocate reserved.</summary>
    public long AllocatedBytes
    {
        get
        {
            if (!Interop.Sys.SyscallNumbersKnown)
            {
                throw new PlatformNotSupportedException($"fstat's syscall number is not known on {RuntimeInformation.ProcessArchitecture}");
            }
            byte* stat = stackalloc byte[Interop.Sys.StatBufferSize];
            if (Interop.Sys.Syscall(Interop.Sys.SysFStat, Fd, (nint)stat, 0, 0, 0, 0) != 0)
            {
                throw Errors.IOException($"fstat({Path})", Marshal.GetLastPInvokeError());
            }
            return *(long*)(stat + Interop.Sys.StatBlocksOffset) * 512;
        }
    }

    /// <summary>posix_fadvise that reports failure as an errno (0 = done) instead of throwing: for hot paths where advice is optional.</summary>
    public int TryAdvise(long offset, long length, FileAdvice advice) => Interop.Sys.PosixFAdvise(Fd, offset, length, (int)advice);

    /// <summary>posix_fadvise on [offset, offset+length) (length 0 = to the end of the file).</summary>
    public void Advise(long offset, long length, FileAdvice advice)
    {
        int errno = Interop.Sys.PosixFAdvise(Fd, offset, length, (int)advice);
        if (errno != 0)
        {
            throw Errors.IOException($"posix_fadvise({Path}, {offset}, {length}, {advice})", errno);
        }
    }

    /// <summary>
    /// pwrite of all <paramref name="length"/> bytes at <paramref name="buffer"/>, looping on partial writes and EINTR.
    /// Returns the bytes written, or a negated errno if nothing was written (io_uring's convention, so devices can
    /// report both back ends alike). Never throws for I/O errors: the shard's completion path handles them.
    /// </summary>
    /// <remarks>The caller guarantees <paramref name="buffer"/> holds <paramref name="length"/> readable bytes.</remarks>
    public int UnsafeWriteAt(byte* buffer, int length, long fileOffset)
    {
        int fd = Fd;
        int total = 0;
        while (total < length)
        {
            nint n = Interop.Sys.PWrite(fd, buffer + total, (nuint)(length - total), fileOffset + total);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errors.EINTR)
                {
                    continue;
                }
                return total > 0 ? total : -errno;
            }
            total += (int)n;
        }
        return total;
    }

    /// <summary>
    /// pread into <paramref name="buffer"/> until <paramref name="length"/> bytes or end of file, looping on EINTR.
    /// Returns the bytes read (short at end of file), or a negated errno if nothing was read.
    /// </summary>
    /// <remarks>The caller guarantees <paramref name="buffer"/> holds <paramref name="length"/> writable bytes.</remarks>
    public int UnsafeReadAt(byte* buffer, int length, long fileOffset)
    {
        int fd = Fd;
        int total = 0;
        while (total < length)
        {
            nint n = Interop.Sys.PRead(fd, buffer + total, (nuint)(length - total), fileOffset + total);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errors.EINTR)
                {
                    continue;
                }
                return total > 0 ? total : -errno;
            }
            if (n == 0)
            {
                break;
            }
            total += (int)n;
        }
        return total;
    }

    /// <summary>fdatasync (<paramref name="dataOnly"/>) or fsync; returns 0 or a negated errno instead of throwing.</summary>
    public int SyncNoThrow(bool dataOnly)
    {
        int fd = Fd;
        while (true)
        {
            int r = dataOnly ? Interop.Sys.FDataSync(fd) : Interop.Sys.FSync(fd);
            if (r == 0)
            {
                return 0;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errors.EINTR)
            {
                return -errno;
            }
        }
    }

    public void Dispose()
    {
        int fd = _fd;
        _fd = -1;
        if (fd >= 0)
        {
            _ = Interop.Sys.Close(fd);
        }
    }
}
