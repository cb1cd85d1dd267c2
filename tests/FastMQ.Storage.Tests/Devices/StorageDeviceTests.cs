using System;
using System.Collections.Generic;
using System.IO;
using FastMQ.Interop;
using FastMQ.Memory;
using FastMQ.Storage.Devices;
using Xunit;

namespace FastMQ.Storage.Tests.Devices;

/// <summary>The same contract tests against both devices, so the io_uring path and the fallback behave alike.</summary>
public class StorageDeviceTests
{
    public static TheoryData<DeviceKind> Kinds => new() { DeviceKind.IoUring, DeviceKind.Pwrite };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void WriteThenRead_ODirect_RoundTrips(DeviceKind kind)
    {
        // Goal: queued O_DIRECT writes land at their offsets and read back intact. Method: 8 blocks written out of order, one 32 KiB read, pread cross-check.
        using var files = new DeviceTestFiles();
        using NativeFile file = files.Open("a");
        using IStorageDevice device = DeviceTestFiles.CreateDevice(kind);
        using var src = new AlignedBuffer(32 * 1024);
        using var dst = new AlignedBuffer(32 * 1024);
        new Random(1).NextBytes(src.Span);
        for (int i = 0; i < 8; i++)
        {
            Assert.True(device.TryQueueWrite(file, src, i * 4096, 4096, (7 - i) * 4096L, (ulong)i));
        }
        Assert.Equal(8, device.Submit());
        Assert.All(DeviceTestFiles.ReapAll(device, 8), c => Assert.Equal(4096, c.Result));
        Assert.True(device.TryQueueRead(file, dst, 0, dst.Length, 0, 100));
        device.Submit();
        IoCompletion read = DeviceTestFiles.ReapAll(device, 1)[0];
        Assert.Equal(new IoCompletion(100, 32 * 1024), read);
        for (int i = 0; i < 8; i++)
        {
            Assert.True(src.Slice(i * 4096, 4096).SequenceEqual(dst.Slice((7 - i) * 4096, 4096)), $"block {i}");
        }
        Assert.Equal(0, device.InFlight);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ManyWrites_OneSubmit_EachCompletionReapedOnce(DeviceKind kind)
    {
        // Goal: a batch submitted at once completes fully and each user token comes back once. Method: 64 writes, one Submit, reap in small chunks.
        using var files = new DeviceTestFiles();
        using NativeFile file = files.Open("m");
        using IStorageDevice device = DeviceTestFiles.CreateDevice(kind, queueDepth: 64);
        using var buffer = new AlignedBuffer(64 * 4096);
        new Random(2).NextBytes(buffer.Span);
        for (int i = 0; i < 64; i++)
        {
            Assert.True(device.TryQueueWrite(file, buffer, i * 4096, 4096, i * 4096L, 500ul + (ulong)i));
        }
        Assert.Equal(64, device.InFlight);
        Assert.Equal(64, device.Submit());
        var seen = new HashSet<ulong>();
        var chunk = new IoCompletion[5];
        while (seen.Count < 64)
        {
            int n = device.Reap(chunk, 1);
            Assert.True(n > 0);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(4096, chunk[i].Result);
                Assert.True(seen.Add(chunk[i].UserData), $"token {chunk[i].UserData} reaped twice");
            }
        }
        Assert.Equal(0, device.InFlight);
        var back = new byte[buffer.Length];
        using NativeFile check = files.Open("m", NativeOpenFlags.ReadOnly);
        check.ReadAt(back, 0);
        Assert.True(buffer.Span.SequenceEqual(back));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TryQueue_WhenFull_ReturnsFalse_AndInFlightIsCapped(DeviceKind kind)
    {
        // Goal: both devices bound their queues: QueueDepth per submit, twice that in flight. Method: fill until false, submit, refill until false, then reap all.
        using var files = new DeviceTestFiles();
        using NativeFile file = files.Open("f");
        using IStorageDevice device = DeviceTestFiles.CreateDevice(kind, queueDepth: 8);
        using var buffer = new AlignedBuffer(4096);
        ulong token = 0;
        int queued = 0;
        while (device.TryQueueWrite(file, buffer, 0, 4096, 0, token++))
        {
            queued++;
            Assert.True(queued <= 8);
        }
        Assert.Equal(8, queued);
        Assert.Equal(8, device.InFlight);
        Assert.Equal(8, device.Submit());
        while (device.TryQueueWrite(file, buffer, 0, 4096, 0, token++))
        {
            queued++;
            Assert.True(queued <= 16);
        }
        Assert.Equal(16, queued);
        Assert.Equal(16, device.InFlight);
        Assert.False(device.TryQueueFsync(file, dataOnly: true, afterPrevious: false, 999));
        Assert.Equal(8, device.Submit());
        Assert.All(DeviceTestFiles.ReapAll(device, 16), c => Assert.Equal(4096, c.Result));
        Assert.Equal(0, device.InFlight);
        Assert.True(device.TryQueueWrite(file, buffer, 0, 4096, 0, token));
        device.Submit();
        DeviceTestFiles.ReapAll(device, 1);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FsyncAfterPrevious_CompletesAfterEveryEarlierWrite(DeviceKind kind)
    {
        // Goal: an fsync queued with afterPrevious covers the writes before it. Method: 16 writes + drained fdatasync + drained fsync; syncs complete last, with 0.
        using var files = new DeviceTestFiles();
        using NativeFile file = files.Open("s");
        using IStorageDevice device = DeviceTestFiles.CreateDevice(kind);
        using var buffer = new AlignedBuffer(16 * 4096);
        for (int i = 0; i < 16; i++)
        {
            Assert.True(device.TryQueueWrite(file, buffer, i * 4096, 4096, i * 4096L, (ulong)i));
        }
        Assert.True(device.TryQueueFsync(file, dataOnly: true, afterPrevious: true, 100));
        Assert.True(device.TryQueueFsync(file, dataOnly: false, afterPrevious: true, 101));
        Assert.Equal(18, device.Submit());
        IoCompletion[] done = DeviceTestFiles.ReapAll(device, 18);
        Assert.Equal(new IoCompletion(100, 0), done[16]);
        Assert.Equal(new IoCompletion(101, 0), done[17]);
        Assert.All(done[..16], c => Assert.Equal(4096, c.Result));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Write_ToReadOnlyFile_CompletesWithNegatedEbadf(DeviceKind kind)
    {
        // Goal: I/O errors arrive as negative results, the same on both devices. Method: write through an O_RDONLY descriptor.
        using var files = new DeviceTestFiles();
        File.WriteAllBytes(files.FilePath("ro"), new byte[4096]);
        using NativeFile file = files.Open("ro", NativeOpenFlags.ReadOnly);
        using IStorageDevice device = DeviceTestFiles.CreateDevice(kind);
        using var buffer = new AlignedBuffer(4096);
        Assert.True(device.TryQueueWrite(file, buffer, 0, 4096, 0, 7));
        device.Submit();
        Assert.Equal(new IoCompletion(7, -Errors.EBADF), DeviceTestFiles.ReapAll(device, 1)[0]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Read_PastEndOfFile_ReturnsShortCountThenZero(DeviceKind kind)
    {
        // Goal: reads at the end of a file report what exists. Method: 4 KiB file, read 8 KiB at 0 and 4 KiB at 8 KiB.
        using var files = new DeviceTestFiles();
        File.WriteAllBytes(files.FilePath("e"), new byte[4096]);
        using NativeFile file = files.Open("e", NativeOpenFlags.ReadOnly | NativeOpenFlags.Direct);
        using IStorageDevice device = DeviceTestFiles.CreateDevice(kind);
        using var buffer = new AlignedBuffer(8192);
        Assert.True(device.TryQueueRead(file, buffer, 0, 8192, 0, 1));
        device.Submit();
        Assert.Equal(new IoCompletion(1, 4096), DeviceTestFiles.ReapAll(device, 1)[0]);
        Assert.True(device.TryQueueRead(file, buffer, 0, 4096, 8192, 2));
        device.Submit();
        Assert.Equal(new IoCompletion(2, 0), DeviceTestFiles.ReapAll(device, 1)[0]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Reap_WaitsOnlyForWhatWasSubmitted(DeviceKind kind)
    {
        // Goal: Reap's minComplete cannot hang on operations that never reached the kernel. Method: nothing submitted → 0; 4 submitted with minComplete 16 → 4; queued-only → 0.
        using var files = new DeviceTestFiles();
        using NativeFile file = files.Open("w");
        using IStorageDevice device = DeviceTestFiles.CreateDevice(kind);
        using var buffer = new AlignedBuffer(4096);
        var completions = new IoCompletion[16];
        Assert.Equal(0, device.Reap(completions, 16));
        for (int i = 0; i < 4; i++)
        {
            Assert.True(device.TryQueueWrite(file, buffer, 0, 4096, i * 4096L, (ulong)i));
        }
        Assert.Equal(0, device.Reap(completions, 4)); // queued, not submitted
        Assert.Equal(4, device.InFlight);
        device.Submit();
        Assert.Equal(4, device.Reap(completions, 16));
        Assert.Equal(0, device.InFlight);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Dispose_WithSubmittedReads_FinishesThemAndRejectsNewWork(DeviceKind kind)
    {
        // Goal: disposing with I/O in flight leaves the target buffer complete and the device closed. Method: submit 8 reads, dispose unreaped, check data and a later queue.
        using var files = new DeviceTestFiles();
        byte[] content = new byte[8 * 4096];
        new Random(9).NextBytes(content);
        File.WriteAllBytes(files.FilePath("r"), content);
        using NativeFile file = files.Open("r", NativeOpenFlags.ReadOnly | NativeOpenFlags.Direct);
        using var buffer = new AlignedBuffer(content.Length);
        IStorageDevice device = DeviceTestFiles.CreateDevice(kind);
        for (int i = 0; i < 8; i++)
        {
            Assert.True(device.TryQueueRead(file, buffer, i * 4096, 4096, i * 4096L, (ulong)i));
        }
        Assert.Equal(8, device.Submit());
        device.Dispose();
        Assert.True(buffer.Span.SequenceEqual(content));
        Assert.Throws<ObjectDisposedException>(() => device.TryQueueRead(file, buffer, 0, 4096, 0, 9));
        device.Dispose();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SteadyState_QueueSubmitReap_AllocatesNothing(DeviceKind kind)
    {
        // Goal: the device hot path allocates nothing per operation. Method: warm up, then 50 rounds of 8 writes + fsync under GetAllocatedBytesForCurrentThread.
        using var files = new DeviceTestFiles();
        using NativeFile file = files.Open("z");
        using IStorageDevice device = DeviceTestFiles.CreateDevice(kind, queueDepth: 16);
        using var buffer = new AlignedBuffer(8 * 4096);
        var completions = new IoCompletion[16];
        Round(device, file, buffer, completions);
        Round(device, file, buffer, completions);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            Round(device, file, buffer, completions);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Round(IStorageDevice device, NativeFile file, AlignedBuffer buffer, IoCompletion[] completions)
        {
            for (int i = 0; i < 8; i++)
            {
                device.TryQueueWrite(file, buffer, i * 4096, 4096, i * 4096L, (ulong)i);
            }
            device.TryQueueFsync(file, dataOnly: true, afterPrevious: true, 8);
            device.Submit();
            int got = 0;
            while (got < 9)
            {
                got += device.Reap(completions.AsSpan(got), 9 - got);
            }
        }
    }
}
