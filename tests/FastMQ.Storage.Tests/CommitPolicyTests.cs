using FastMQ.Storage.CrashHarness;
using FastMQ.Storage.Devices;
using FastMQ.Storage.Tests.Support;
using Xunit;

namespace FastMQ.Storage.Tests;

public class CommitPolicyTests
{
    public static TheoryData<DeviceKind> Kinds => new() { DeviceKind.IoUring, DeviceKind.Pwrite };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FsyncEachWrite_AcknowledgesOnlyAfterTheCoveringSync(DeviceKind kind)
    {
        // Goal: with fsync-before-ack nothing is acknowledgeable before an fdatasync covers it. Method: counting device; append, check offsets before and after storage turns.
        FaultInjectingDevice? device = null;
        using var ctx = new LogTestContext(kind, new ManualClock(0), d => device = new FaultInjectingDevice(d));
        using PartitionLog log = ctx.Open(new PartitionLogOptions
        {
            SegmentBytes = 1 << 20, WriteBufferBytes = 64 * 1024, MaxBatchBytes = 32 * 1024, CommitPolicy = CommitPolicy.FsyncEachWrite,
        });
        for (int i = 0; i < 5; i++)
        {
            LogTestContext.Append(log, BatchFactory.BuildStream(1, i));
        }
        Assert.Equal(0, log.AcknowledgeableOffset.Value);
        Assert.Equal(0, log.FlushedOffset.Value);
        LogTestContext.PollUntil(log, () => log.FlushedOffset == log.LogEndOffset, "the covering sync");
        Assert.Equal(log.LogEndOffset, log.AcknowledgeableOffset);
        Assert.Equal(log.LogEndOffset, log.WrittenOffset);
        Assert.True(device!.Syncs >= 1);
        // The five appends of one turn went out as one write.
        Assert.Equal(1, device.Writes);
    }

    [Fact]
    public void Group_SyncsWhenTheIntervalPassesOrTheBytesAccumulate()
    {
        // Goal: group commit delays the sync to the interval or the byte threshold. Method: manual clock and counting device.
        FaultInjectingDevice? device = null;
        var clock = new ManualClock(0);
        using var ctx = new LogTestContext(DeviceKind.Pwrite, clock, d => device = new FaultInjectingDevice(d));
        using PartitionLog log = ctx.Open(new PartitionLogOptions
        {
            SegmentBytes = 1 << 20, WriteBufferBytes = 64 * 1024, MaxBatchBytes = 32 * 1024, CommitPolicy = CommitPolicy.Group(intervalMs: 50, bytes: 20_000),
        });
        LogTestContext.Append(log, BatchFactory.Build(1, 100, 1, 1));
        for (int i = 0; i < 5; i++)
        {
            log.Poll();
        }
        Assert.Equal(log.LogEndOffset, log.WrittenOffset);
        Assert.Equal(0, log.FlushedOffset.Value);
        Assert.Equal(0, device!.Syncs);
        clock.AdvanceMs(49);
        log.Poll();
        Assert.Equal(0, device.Syncs);
        clock.AdvanceMs(1);
        LogTestContext.PollUntil(log, () => log.FlushedOffset == log.LogEndOffset, "the interval sync");
        Assert.Equal(1, device.Syncs);

        LogTestContext.Append(log, BatchFactory.Build(1, 25_000, 2, 2));
        LogTestContext.PollUntil(log, () => log.FlushedOffset == log.LogEndOffset, "the byte-threshold sync");
        Assert.Equal(2, device.Syncs);
    }

    [Fact]
    public void None_AcknowledgesWrittenData_AndSyncsOnlyWhenAsked()
    {
        // Goal: the no-fsync policy acknowledges on write completion and syncs only on Flush. Method: counting device.
        FaultInjectingDevice? device = null;
        using var ctx = new LogTestContext(DeviceKind.Pwrite, new ManualClock(0), d => device = new FaultInjectingDevice(d));
        using PartitionLog log = ctx.Open(new PartitionLogOptions
        {
            SegmentBytes = 1 << 20, WriteBufferBytes = 64 * 1024, MaxBatchBytes = 32 * 1024, CommitPolicy = CommitPolicy.None,
        });
        LogTestContext.Append(log, BatchFactory.Build(3, 500, 1, 1));
        LogTestContext.PollUntil(log, () => log.WrittenOffset == log.LogEndOffset, "the write");
        log.Poll();
        Assert.Equal(log.LogEndOffset, log.AcknowledgeableOffset);
        Assert.Equal(0, log.FlushedOffset.Value);
        Assert.Equal(0, device!.Syncs);
        Assert.Equal(AppendStatus.Ok, log.Flush());
        Assert.Equal(log.LogEndOffset, log.FlushedOffset);
        Assert.Equal(1, device.Syncs);
    }
}
