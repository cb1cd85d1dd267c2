using System;
using FastMQ.Core;
using FastMQ.Storage.CrashHarness;
using FastMQ.Storage.Devices;
using FastMQ.Storage.Tests.Support;
using Xunit;

namespace FastMQ.Storage.Tests;

public class AllocationTests
{
    public static TheoryData<DeviceKind> Kinds => new() { DeviceKind.IoUring, DeviceKind.Pwrite };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AppendPollAndRead_InSteadyState_AllocateNothing(DeviceKind kind)
    {
        // Goal: the hot path allocates zero bytes. Method: warm up the same loop (JIT tiering), then 2000 appends with storage turns, buffer wraps, group-commit fsyncs and reads, measured with GC.GetAllocatedBytesForCurrentThread.
        using var ctx = new LogTestContext(kind);
        using PartitionLog log = ctx.Open(new PartitionLogOptions
        {
            SegmentBytes = 64L << 20,
            WriteBufferBytes = 128 * 1024,
            MaxBatchBytes = 32 * 1024,
            IndexIntervalBytes = 4096,
            // Group commit keeps the number of fdatasyncs (slow on this disk with the synchronous device) small.
            CommitPolicy = CommitPolicy.Group(intervalMs: 2, bytes: 256 * 1024),
        });
        var batches = new byte[64][];
        for (int i = 0; i < batches.Length; i++)
        {
            batches[i] = BatchFactory.Build(1 + (i % 3), 200 + (i * 13), 1000 + i, i);
        }
        Run(log, batches, 2000);
        Assert.Equal(AppendStatus.Ok, log.Flush());

        // No assertion inside the measured region: xunit's Assert.Equal on an enum allocates.
        long before = GC.GetAllocatedBytesForCurrentThread();
        int reads = Run(log, batches, 2000);
        AppendStatus flushed = log.Flush();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(AppendStatus.Ok, flushed);
        Assert.Equal(0, allocated);
        Assert.Equal(1, log.SegmentCount);
        Assert.True(reads > 0);
        Assert.Equal(log.LogEndOffset, log.FlushedOffset);
    }

    private static int Run(PartitionLog log, byte[][] batches, int count)
    {
        int readBytes = 0;
        for (int i = 0; i < count; i++)
        {
            if (log.TryAppend(batches[i % batches.Length], new Epoch(1), out AppendResult r) != AppendStatus.Ok)
            {
                throw new InvalidOperationException("append failed");
            }
            log.Poll();
            if (log.TryRead(r.BaseOffset, 4096, log.LogEndOffset, out LogSlice slice) == LogReadStatus.Ok)
            {
                readBytes += slice.Length;
            }
            if (i % 97 == 0 && log.TryRead(new Offset(i), 65536, log.LogEndOffset, out LogSlice old) == LogReadStatus.Ok)
            {
                readBytes += old.Length;
            }
        }
        return readBytes;
    }
}
