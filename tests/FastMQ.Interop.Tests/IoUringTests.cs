using System;
using System.Collections.Generic;
using System.IO;
using FastMQ.Memory;
using Xunit;

namespace FastMQ.Interop.Tests;

public unsafe class IoUringTests
{
    internal static IoUring CreateRing(uint entries = 64, IoUringOptions? options = null)
    {
        Assert.True(IoUring.TryCreate(entries, options, out IoUring? ring, out string? reason), reason);
        return ring!;
    }

    /// <summary>Submits what is queued and collects exactly <paramref name="expected"/> completions.</summary>
    internal static IoUringCqe[] SubmitAndCollect(IoUring ring, int expected)
    {
        var result = new IoUringCqe[expected];
        int got = 0;
        while (got < expected)
        {
            ring.SubmitAndWait(expected - got);
            got += ring.Reap(result.AsSpan(got));
        }
        return result;
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void TryCreate_RoundsEntriesUpAndReportsFeatures()
    {
        // Goal: setup works on this kernel and maps sane rings. Method: ask for 100 entries, check sizes and feature bits.
        using IoUring ring = CreateRing(100);
        Assert.Equal(128, ring.SubmissionQueueEntries);
        Assert.Equal(256, ring.CompletionQueueEntries);
        Assert.True(ring.RingFd > 0);
        Assert.NotEqual(0u, ring.Features & Interop.Uring.IORING_FEAT_SINGLE_MMAP);
        Assert.NotEqual(0u, ring.Features & Interop.Uring.IORING_FEAT_NODROP);
        Assert.Equal(128, ring.FreeSubmissionSlots);
        Assert.Equal(0, ring.CompletionsReady);
    }

    [Fact]
    public void TryCreate_WithCompletionQueueOption_SizesTheCompletionQueue()
    {
        // Goal: IORING_SETUP_CQSIZE is passed through. Method: 8 SQ entries with 64 CQ entries.
        using IoUring ring = CreateRing(8, new IoUringOptions { CompletionQueueEntries = 64 });
        Assert.Equal(8, ring.SubmissionQueueEntries);
        Assert.Equal(64, ring.CompletionQueueEntries);
    }

    [Fact]
    public void TryCreate_WhenTheKernelRejectsSetup_ReturnsTheReason()
    {
        // Goal: a real setup failure yields false plus the kernel's reason. Method: CQ smaller than SQ, which the kernel rejects with EINVAL.
        bool ok = IoUring.TryCreate(8, new IoUringOptions { CompletionQueueEntries = 1 }, out IoUring? ring, out string? reason);
        Assert.False(ok);
        Assert.Null(ring);
        Assert.Equal("io_uring_setup(8 entries) failed: Invalid argument (errno 22)", reason);
    }

    [Fact]
    public void DescribeSetupFailure_NamesEachUnavailableCause()
    {
        // Goal: each documented cause gets its own clear reason. Method: feed the errno/setting pairs the kernel produces.
        Assert.Contains("ENOSYS", IoUring.DescribeSetupFailure(Errors.ENOSYS, 0, 256));
        Assert.Contains("io_uring_disabled = 1", IoUring.DescribeSetupFailure(Errors.EPERM, 1, 256));
        Assert.Contains("seccomp", IoUring.DescribeSetupFailure(Errors.EPERM, 0, 256));
        Assert.Contains("io_uring_disabled = 2", IoUring.DescribeSetupFailure(Errors.EPERM, 2, 256));
        Assert.Contains("Cannot allocate memory", IoUring.DescribeSetupFailure(Errors.ENOMEM, 0, 256));
    }

    [Fact]
    public void ReadDisabledSetting_ParsesTheSysctlFile()
    {
        // Goal: the io_uring_disabled sysctl is read correctly. Method: a temp file with "2\n", a missing file, and the host's real file.
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("disabled"), "2\n");
        Assert.Equal(2, IoUring.ReadDisabledSetting(dir.File("disabled")));
        Assert.Equal(0, IoUring.ReadDisabledSetting(dir.File("missing")));
        if (File.Exists(IoUring.DisabledSettingPath))
        {
            Assert.Equal(int.Parse(File.ReadAllText(IoUring.DisabledSettingPath).Trim()), IoUring.ReadDisabledSetting(IoUring.DisabledSettingPath));
        }
    }

    [Fact]
    public void WriteThenRead_Buffered_RoundTrips()
    {
        // Goal: WRITE and READ move the right bytes at the right offsets. Method: three writes, then io_uring reads and pread compare.
        using var dir = new TempDirectory();
        using NativeFile file = NativeFile.Open(dir.File("a"), NativeOpenFlags.ReadWrite | NativeOpenFlags.Create);
        using IoUring ring = CreateRing(8);
        byte[] data = RandomBytes(3000, 1);
        byte[] back = new byte[3000];
        fixed (byte* d = data)
        fixed (byte* b = back)
        {
            Assert.True(ring.TryPrepareWrite(file.Fd, d, 1000, 0, 1));
            Assert.True(ring.TryPrepareWrite(file.Fd, d + 1000, 1000, 5000, 2));
            Assert.True(ring.TryPrepareWrite(file.Fd, d + 2000, 1000, 1000, 3));
            Assert.Equal(3, ring.Submit());
            foreach (IoUringCqe c in SubmitAndCollect(ring, 3))
            {
                Assert.Equal(1000, c.Result);
            }
            Assert.True(ring.TryPrepareRead(file.Fd, b, 1000, 0, 4));
            Assert.True(ring.TryPrepareRead(file.Fd, b + 1000, 1000, 1000, 5));
            Assert.True(ring.TryPrepareRead(file.Fd, b + 2000, 2000, 5000, 6)); // asks past the end: short read
            IoUringCqe[] reads = SubmitAndCollect(ring, 3);
            Assert.All(reads, c => Assert.Equal(1000, c.Result));
        }
        Assert.Equal(data.AsSpan(0, 1000).ToArray(), back.AsSpan(0, 1000).ToArray());
        Assert.Equal(data.AsSpan(2000, 1000).ToArray(), back.AsSpan(1000, 1000).ToArray());
        Assert.Equal(data.AsSpan(1000, 1000).ToArray(), back.AsSpan(2000, 1000).ToArray());
        Assert.Equal(6000, file.Length);
        var viaPread = new byte[1000];
        file.ReadAt(viaPread, 5000);
        Assert.Equal(data.AsSpan(1000, 1000).ToArray(), viaPread);
    }

    [Fact]
    public void WriteThenRead_ODirect_RoundTripsAndRejectsMisalignment()
    {
        // Goal: O_DIRECT I/O through io_uring with AlignedBuffer works and misaligned offsets fail with -EINVAL. Method: 16 blocks out, 16 back, one bad write.
        using var dir = new TempDirectory();
        using NativeFile file = NativeFile.Open(dir.File("d"), NativeOpenFlags.ReadWrite | NativeOpenFlags.Create | NativeOpenFlags.Direct);
        using var src = new AlignedBuffer(64 * 1024);
        using var dst = new AlignedBuffer(64 * 1024);
        new Random(2).NextBytes(src.Span);
        using IoUring ring = CreateRing(32);
        for (int i = 0; i < 16; i++)
        {
            Assert.True(ring.TryPrepareWrite(file.Fd, src.Pointer + (i * 4096), 4096, (15 - i) * 4096L, (ulong)i));
        }
        Assert.All(SubmitAndCollect(ring, 16), c => Assert.Equal(4096, c.Result));
        Assert.True(ring.TryPrepareRead(file.Fd, dst.Pointer, 64 * 1024, 0, 99));
        Assert.Equal(64 * 1024, SubmitAndCollect(ring, 1)[0].Result);
        for (int i = 0; i < 16; i++)
        {
            Assert.True(src.Slice(i * 4096, 4096).SequenceEqual(dst.Slice((15 - i) * 4096, 4096)), $"block {i}");
        }

        Assert.True(ring.TryPrepareWrite(file.Fd, src.Pointer, 4096, 100, 100));
        Assert.Equal(-Errors.EINVAL, SubmitAndCollect(ring, 1)[0].Result);
    }

    [Fact]
    public void WriteVThenReadV_GathersAndScatters()
    {
        // Goal: WRITEV gathers several buffers into one contiguous write and READV scatters it back. Method: 3 iovecs out, 2 differently split iovecs in.
        using var dir = new TempDirectory();
        using NativeFile file = NativeFile.Open(dir.File("v"), NativeOpenFlags.ReadWrite | NativeOpenFlags.Create);
        using IoUring ring = CreateRing(8);
        byte[] a = RandomBytes(100, 3), b = RandomBytes(5000, 4), c = RandomBytes(37, 5);
        byte[] r1 = new byte[2500], r2 = new byte[2637];
        fixed (byte* pa = a)
        fixed (byte* pb = b)
        fixed (byte* pc = c)
        fixed (byte* p1 = r1)
        fixed (byte* p2 = r2)
        {
            IoVec* outVecs = stackalloc IoVec[3];
            outVecs[0] = new IoVec(pa, a.Length);
            outVecs[1] = new IoVec(pb, b.Length);
            outVecs[2] = new IoVec(pc, c.Length);
            Assert.True(ring.TryPrepareWriteV(file.Fd, outVecs, 3, 4096, 1));
            Assert.Equal(5137, SubmitAndCollect(ring, 1)[0].Result);

            IoVec* inVecs = stackalloc IoVec[2];
            inVecs[0] = new IoVec(p1, r1.Length);
            inVecs[1] = new IoVec(p2, r2.Length);
            Assert.True(ring.TryPrepareReadV(file.Fd, inVecs, 2, 4096, 2));
            Assert.Equal(5137, SubmitAndCollect(ring, 1)[0].Result);
        }
        byte[] expected = [.. a, .. b, .. c];
        byte[] actual = [.. r1, .. r2];
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void FixedBuffersAndFixedFiles_WriteAndReadBack()
    {
        // Goal: WRITE_FIXED/READ_FIXED through registered buffers and a registered file index work. Method: register, write 8 KiB, read it into another part of the buffer.
        using var dir = new TempDirectory();
        using NativeFile file = NativeFile.Open(dir.File("f"), NativeOpenFlags.ReadWrite | NativeOpenFlags.Create | NativeOpenFlags.Direct);
        using var buffer = new AlignedBuffer(32 * 1024);
        new Random(6).NextBytes(buffer.Slice(0, 8192));
        using IoUring ring = CreateRing(8);
        ring.RegisterBuffers([new IoVec(buffer.Pointer, buffer.Length)]);
        ring.RegisterFiles([file.Fd]);

        Assert.True(ring.TryPrepareWriteFixed(0, buffer.Pointer, 8192, 8192, 0, 1, IoUringSqeFlags.FixedFile));
        Assert.Equal(8192, SubmitAndCollect(ring, 1)[0].Result);
        Assert.True(ring.TryPrepareReadFixed(0, buffer.Pointer + 16384, 8192, 8192, 0, 2, IoUringSqeFlags.FixedFile));
        Assert.Equal(8192, SubmitAndCollect(ring, 1)[0].Result);
        Assert.True(buffer.Slice(0, 8192).SequenceEqual(buffer.Slice(16384, 8192)));

        // A buffer outside the registered range is refused by the kernel.
        byte* outside = stackalloc byte[4096];
        Assert.True(ring.TryPrepareWriteFixed(0, outside, 4096, 0, 0, 3, IoUringSqeFlags.FixedFile));
        Assert.Equal(-Errors.EFAULT, SubmitAndCollect(ring, 1)[0].Result);

        ring.UnregisterFiles();
        ring.UnregisterBuffers();
        Assert.True(ring.TryPrepareWriteFixed(0, buffer.Pointer, 4096, 0, 0, 4, IoUringSqeFlags.FixedFile));
        Assert.True(SubmitAndCollect(ring, 1)[0].Result < 0);
    }

    [Fact]
    public void Fsync_DataOnlyAndFull_CompleteAfterDrainedWrites()
    {
        // Goal: FSYNC (with and without DATASYNC) completes, and with IO_DRAIN only after the writes before it. Method: 8 writes + drained fdatasync + fsync.
        using var dir = new TempDirectory();
        using NativeFile file = NativeFile.Open(dir.File("s"), NativeOpenFlags.ReadWrite | NativeOpenFlags.Create);
        using IoUring ring = CreateRing(16);
        byte[] data = RandomBytes(4096, 7);
        fixed (byte* d = data)
        {
            for (int i = 0; i < 8; i++)
            {
                Assert.True(ring.TryPrepareWrite(file.Fd, d, 4096, i * 4096L, (ulong)i));
            }
            Assert.True(ring.TryPrepareFsync(file.Fd, dataOnly: true, 100, IoUringSqeFlags.IoDrain));
            Assert.True(ring.TryPrepareFsync(file.Fd, dataOnly: false, 101, IoUringSqeFlags.IoDrain));
            IoUringCqe[] done = SubmitAndCollect(ring, 10);
            Assert.Equal(100ul, done[8].UserData);
            Assert.Equal(0, done[8].Result);
            Assert.Equal(101ul, done[9].UserData);
            Assert.Equal(0, done[9].Result);
            Assert.All(done[..8], c => Assert.Equal(4096, c.Result));
        }
    }

    [Fact]
    public void ManyOperations_OneSubmit_AllReapedThroughPeekAndAdvance()
    {
        // Goal: a full SQ goes to the kernel in one submit and every completion is reaped exactly once. Method: 128 writes, one Submit, peek/advance loop.
        using var dir = new TempDirectory();
        using NativeFile file = NativeFile.Open(dir.File("m"), NativeOpenFlags.ReadWrite | NativeOpenFlags.Create);
        using IoUring ring = CreateRing(128);
        byte[] data = RandomBytes(128 * 512, 8);
        fixed (byte* d = data)
        {
            for (int i = 0; i < 128; i++)
            {
                Assert.True(ring.TryPrepareWrite(file.Fd, d + (i * 512), 512, i * 512L, 1000ul + (ulong)i));
            }
            Assert.Equal(128, ring.PendingSubmissions);
            Assert.Equal(128, ring.Submit());
            Assert.Equal(0, ring.PendingSubmissions);
            var seen = new HashSet<ulong>();
            while (seen.Count < 128)
            {
                ring.SubmitAndWait(1);
                while (ring.TryPeekCompletion(out IoUringCqe cqe))
                {
                    Assert.Equal(512, cqe.Result);
                    Assert.True(seen.Add(cqe.UserData), $"user_data {cqe.UserData} reaped twice");
                    ring.AdvanceCompletions(1);
                }
            }
            Assert.Equal(0, ring.CompletionsReady);
        }
        var back = new byte[data.Length];
        file.ReadAt(back, 0);
        Assert.Equal(data, back);
    }

    [Fact]
    public void TryPeekCompletion_DoesNotConsume_UntilAdvanced()
    {
        // Goal: peek is idempotent and advance consumes in order. Method: 3 NOPs, peek twice, advance one at a time, over-advance throws.
        using IoUring ring = CreateRing(8);
        Assert.True(ring.TryPrepareNop(10));
        Assert.True(ring.TryPrepareNop(11));
        Assert.True(ring.TryPrepareNop(12));
        ring.SubmitAndWait(3);
        Assert.Equal(3, ring.CompletionsReady);
        Assert.True(ring.TryPeekCompletion(out IoUringCqe first));
        Assert.True(ring.TryPeekCompletion(out IoUringCqe again));
        Assert.Equal(first.UserData, again.UserData);
        Assert.Equal(10ul, first.UserData);
        ring.AdvanceCompletions(1);
        Assert.True(ring.TryPeekCompletion(out IoUringCqe second));
        Assert.Equal(11ul, second.UserData);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.AdvanceCompletions(3));
        ring.AdvanceCompletions(2);
        Assert.False(ring.TryPeekCompletion(out _));
    }

    [Fact]
    public void TryPrepare_WhenSubmissionQueueFull_ReturnsFalseUntilSubmitted()
    {
        // Goal: a full SQ refuses new entries without corrupting queued ones. Method: fill 8 slots, 9th fails, submit, then room again.
        using IoUring ring = CreateRing(8);
        int queued = 0;
        while (ring.TryPrepareNop((ulong)queued))
        {
            queued++;
            Assert.True(queued <= 8);
        }
        Assert.Equal(8, queued);
        Assert.Equal(0, ring.FreeSubmissionSlots);
        Assert.False(ring.TryPrepareNop(99));
        Assert.Equal(8, ring.Submit());
        Assert.True(ring.TryPrepareNop(8));
        IoUringCqe[] done = SubmitAndCollect(ring, 9);
        Assert.Equal(new ulong[] { 0, 1, 2, 3, 4, 5, 6, 7, 8 }, Array.ConvertAll(done, c => c.UserData));
    }

    [Fact]
    public void Write_ToReadOnlyFile_CompletesWithNegatedEbadf()
    {
        // Goal: a per-operation failure surfaces as Result < 0 (-errno), not an exception. Method: write to an O_RDONLY fd.
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("ro"), new byte[16]);
        using NativeFile file = NativeFile.Open(dir.File("ro"), NativeOpenFlags.ReadOnly);
        using IoUring ring = CreateRing(4);
        byte* data = stackalloc byte[16];
        Assert.True(ring.TryPrepareWrite(file.Fd, data, 16, 0, 5));
        IoUringCqe cqe = SubmitAndCollect(ring, 1)[0];
        Assert.Equal(5ul, cqe.UserData);
        Assert.Equal(-Errors.EBADF, cqe.Result);
    }

    [Fact]
    public void IoLink_FailedHeadCancelsTheRestOfTheChain()
    {
        // Goal: IOSQE_IO_LINK chains run in order and a failure cancels the followers. Method: failing write linked to a NOP; then a good write linked to fsync.
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("ro"), new byte[16]);
        using NativeFile ro = NativeFile.Open(dir.File("ro"), NativeOpenFlags.ReadOnly);
        using NativeFile rw = NativeFile.Open(dir.File("rw"), NativeOpenFlags.ReadWrite | NativeOpenFlags.Create);
        using IoUring ring = CreateRing(8);
        byte* data = stackalloc byte[16];
        Assert.True(ring.TryPrepareWrite(ro.Fd, data, 16, 0, 1, IoUringSqeFlags.IoLink));
        Assert.True(ring.TryPrepareNop(2));
        IoUringCqe[] failed = SubmitAndCollect(ring, 2);
        Assert.Equal(-Errors.EBADF, Array.Find(failed, c => c.UserData == 1).Result);
        Assert.Equal(-Errors.ECANCELED, Array.Find(failed, c => c.UserData == 2).Result);

        Assert.True(ring.TryPrepareWrite(rw.Fd, data, 16, 0, 3, IoUringSqeFlags.IoLink));
        Assert.True(ring.TryPrepareFsync(rw.Fd, dataOnly: true, 4));
        IoUringCqe[] ok = SubmitAndCollect(ring, 2);
        Assert.Equal(new ulong[] { 3, 4 }, Array.ConvertAll(ok, c => c.UserData));
        Assert.Equal(16, ok[0].Result);
        Assert.Equal(0, ok[1].Result);
    }

    [Fact]
    public void CompletionQueueOverflow_HeldCompletionsAreStillDelivered()
    {
        // Goal: more completions than CQ slots are not lost (IORING_FEAT_NODROP + flush on reap). Method: 4-entry ring (8 CQ slots), 24 NOPs before reaping.
        using IoUring ring = CreateRing(4);
        Assert.Equal(8, ring.CompletionQueueEntries);
        for (int round = 0; round < 6; round++)
        {
            for (int i = 0; i < 4; i++)
            {
                Assert.True(ring.TryPrepareNop((ulong)((round * 4) + i)));
            }
            Assert.Equal(4, ring.Submit());
        }
        Assert.Equal(8, ring.CompletionsReady); // the ring is full; 16 more are held by the kernel
        var seen = new HashSet<ulong>();
        Span<IoUringCqe> batch = stackalloc IoUringCqe[32];
        for (int attempt = 0; attempt < 100 && seen.Count < 24; attempt++)
        {
            int n = ring.Reap(batch);
            for (int i = 0; i < n; i++)
            {
                Assert.True(seen.Add(batch[i].UserData));
                Assert.Equal(0, batch[i].Result);
            }
        }
        Assert.Equal(24, seen.Count);
        Assert.Equal(0u, ring.DroppedCompletions);
    }

    [Fact]
    public void Dispose_ThenUse_Throws()
    {
        // Goal: a disposed ring fails loudly instead of touching unmapped memory. Method: dispose twice, then prepare and reap.
        IoUring ring = CreateRing(4);
        ring.Dispose();
        ring.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ring.TryPrepareNop(1));
        Assert.Throws<ObjectDisposedException>(() => ring.Submit());
        Assert.Throws<ObjectDisposedException>(() => ring.Reap(new IoUringCqe[1]));
    }

    [Fact]
    public void SteadyState_PrepareSubmitReap_AllocatesNothing()
    {
        // Goal: the hot path allocates zero bytes per operation. Method: warm up, then 200 rounds of 8 writes + submit/wait + reap under GetAllocatedBytesForCurrentThread.
        using var dir = new TempDirectory();
        using NativeFile file = NativeFile.Open(dir.File("z"), NativeOpenFlags.ReadWrite | NativeOpenFlags.Create);
        using IoUring ring = CreateRing(8);
        using var buffer = new AlignedBuffer(4096);
        var cqes = new IoUringCqe[8];
        int fd = file.Fd;
        Round(ring, fd, buffer.Pointer, cqes);
        Round(ring, fd, buffer.Pointer, cqes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Round(ring, fd, buffer.Pointer, cqes);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Round(IoUring ring, int fd, byte* p, IoUringCqe[] cqes)
        {
            for (int i = 0; i < 8; i++)
            {
                ring.TryPrepareWrite(fd, p + (i * 512), 512, i * 512L, (ulong)i);
            }
            ring.SubmitAndWait(8);
            int n = ring.Reap(cqes);
            if (n != 8)
            {
                throw new InvalidOperationException($"reaped {n}");
            }
        }
    }
}
