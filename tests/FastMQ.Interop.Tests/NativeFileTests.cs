using System;
using Xunit;

namespace FastMQ.Interop.Tests;

public unsafe class NativeFileTests
{
    private static int ResidentPages(NativeFile file, int length)
    {
        void* map = Interop.Sys.MMap(null, (nuint)length, Interop.Sys.PROT_READ, Interop.Sys.MAP_SHARED, file.Fd, 0);
        Assert.True(map != Interop.Sys.MapFailed, "mmap failed");
        try
        {
            int pages = length / 4096;
            byte* vector = stackalloc byte[pages];
            Assert.Equal(0, Interop.Sys.MInCore(map, (nuint)length, vector));
            int resident = 0;
            for (int i = 0; i < pages; i++)
            {
                resident += vector[i] & 1;
            }
            return resident;
        }
        finally
        {
            Interop.Sys.MUnmap(map, (nuint)length);
        }
    }

    [Fact]
    public void Advise_DontNeed_DropsCleanPagesFromThePageCache()
    {
        // Goal: posix_fadvise really reaches the kernel. Method: write 256 KiB buffered, sync, check residency with mincore before and after DONTNEED.
        using var dir = new TempDirectory();
        using NativeFile file = NativeFile.Open(dir.File("c"), NativeOpenFlags.ReadWrite | NativeOpenFlags.Create);
        byte[] data = new byte[256 * 1024];
        new Random(3).NextBytes(data);
        file.WriteAt(data, 0);
        file.Sync();
        Assert.Equal(64, ResidentPages(file, data.Length));
        file.Advise(0, 0, FileAdvice.DontNeed);
        Assert.Equal(0, ResidentPages(file, data.Length));

        NativeIOException e = Assert.Throws<NativeIOException>(() => file.Advise(0, 0, (FileAdvice)99));
        Assert.Equal(Errors.EINVAL, e.Errno);
    }

    [Fact]
    public void Allocate_ReservesBlocksAndExtendsTheFile()
    {
        // Goal: fallocate reserves disk blocks and the range reads as zeros. Method: fstat block count and length before/after, then read back.
        using var dir = new TempDirectory();
        using NativeFile file = NativeFile.Open(dir.File("p"), NativeOpenFlags.ReadWrite | NativeOpenFlags.Create);
        Assert.Equal(0, file.AllocatedBytes);
        file.Allocate(0, 1 << 20);
        Assert.Equal(1 << 20, file.Length);
        Assert.True(file.AllocatedBytes >= 1 << 20, $"allocated {file.AllocatedBytes}");
        byte[] back = new byte[4096];
        back.AsSpan().Fill(0xFF);
        Assert.Equal(4096, file.ReadAt(back, 512 * 1024));
        Assert.True(back.AsSpan().IndexOfAnyExcept((byte)0) < 0);

        file.Truncate(0);
        Assert.Equal(0, file.AllocatedBytes);
    }

    [Fact]
    public void UnsafeWriteAndRead_ReturnBytesOrNegatedErrno()
    {
        // Goal: the no-throw pwrite/pread/fsync used by the fallback device report like io_uring does. Method: round trip, then a write to a read-only fd.
        using var dir = new TempDirectory();
        byte[] data = new byte[10_000];
        new Random(4).NextBytes(data);
        using (NativeFile file = NativeFile.Open(dir.File("u"), NativeOpenFlags.ReadWrite | NativeOpenFlags.Create))
        {
            fixed (byte* p = data)
            {
                Assert.Equal(data.Length, file.UnsafeWriteAt(p, data.Length, 100));
            }
            Assert.Equal(0, file.SyncNoThrow(dataOnly: true));
            Assert.Equal(0, file.SyncNoThrow(dataOnly: false));
            byte[] back = new byte[20_000];
            fixed (byte* p = back)
            {
                Assert.Equal(data.Length, file.UnsafeReadAt(p, back.Length, 100)); // short: end of file
                Assert.Equal(0, file.UnsafeReadAt(p, 10, 1_000_000));
            }
            Assert.Equal(data, back[..data.Length]);
        }
        using NativeFile ro = NativeFile.Open(dir.File("u"), NativeOpenFlags.ReadOnly);
        fixed (byte* p = data)
        {
            Assert.Equal(-Errors.EBADF, ro.UnsafeWriteAt(p, 10, 0));
        }
    }
}
