using System.Collections.Generic;
using System.IO;
using System.Linq;
using FastMQ.Core;
using FastMQ.Storage.CrashHarness;
using FastMQ.Storage.Devices;
using FastMQ.Storage.Tests.Support;
using Xunit;

namespace FastMQ.Storage.Tests;

public class RetentionTests
{
    [Fact]
    public void RetentionBySize_DeletesOldestSegmentsBelowTheHighWatermark()
    {
        // Goal: size retention deletes whole segments and moves the log start. Method: 6 segments, retention of ~2.5 segments; first with the high watermark at 0 (nothing may go), then at the log end.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        using PartitionLog log = ctx.Open(WithRetention(bytes: 300 * 1024, ms: -1));
        Fill(log, segments: 6);
        Assert.True(log.TrySetHighWatermark(new Offset(0)));
        Assert.Equal(0, log.ApplyRetention());

        Assert.True(log.TrySetHighWatermark(log.LogEndOffset));
        long sizeBefore = log.SizeBytes;
        int deleted = log.ApplyRetention();
        Assert.True(deleted >= 2, $"deleted {deleted}");
        // Kafka's rule: delete while the log without its oldest segment is still at least the retention size.
        long oldestSize = new FileInfo(Directory.GetFiles(ctx.LogDirectory, "*.log").Order().First()).Length;
        Assert.True(log.SizeBytes >= 300 * 1024 && log.SizeBytes - oldestSize < 300 * 1024 && log.SizeBytes < sizeBefore);
        long firstBase = FirstSegmentBase(ctx);
        Assert.Equal(firstBase, log.LogStartOffset.Value);
        Assert.Equal(log.SegmentCount, Directory.GetFiles(ctx.LogDirectory, "*.log").Length);
        Assert.Equal(LogReadStatus.OffsetOutOfRange, log.TryRead(log.LogStartOffset + -1, 100, log.LogEndOffset, out _));
        Assert.Equal(LogReadStatus.Ok, log.TryRead(log.LogStartOffset, 100, log.LogEndOffset, out LogSlice s));
        Assert.Equal(log.LogStartOffset, s.FirstBatchBaseOffset);
        Assert.Equal(0, log.ApplyRetention());
    }

    [Fact]
    public void RetentionByTime_DeletesSegmentsWhoseNewestRecordExpired()
    {
        // Goal: time retention uses each segment's largest timestamp. Method: manual clock, one hour between segments, retention 90 minutes.
        var clock = new ManualClock(1_000_000_000);
        using var ctx = new LogTestContext(DeviceKind.Pwrite, clock);
        using PartitionLog log = ctx.Open(WithRetention(bytes: -1, ms: 90 * 60 * 1000));
        for (int s = 0; s < 4; s++)
        {
            int start = log.SegmentCount;
            while (log.SegmentCount == start)
            {
                LogTestContext.Append(log, BatchFactory.Build(1, 3000, clock.UnixTimeMs, (int)log.LogEndOffset.Value));
            }
            clock.AdvanceMs(60 * 60 * 1000);
        }
        log.TrySetHighWatermark(log.LogEndOffset);
        int segments = log.SegmentCount;
        // Segments stamped 4h, 3h, 2h ago expired (the one stamped 1h ago, and the active one, not).
        Assert.Equal(3, log.ApplyRetention());
        Assert.Equal(segments - 3, log.SegmentCount);
        Assert.Equal(FirstSegmentBase(ctx), log.LogStartOffset.Value);
    }

    [Fact]
    public void AdvanceLogStartOffset_DeletesSegmentsBelow_AndIsPersisted()
    {
        // Goal: DeleteRecords semantics. Method: refuse past the high watermark; advance into the middle of segment 3; reads below fail; the start survives a reopen.
        using var ctx = new LogTestContext(DeviceKind.IoUring);
        Offset target;
        using (PartitionLog log = ctx.Open())
        {
            Fill(log, segments: 4);
            log.TrySetHighWatermark(log.LogEndOffset + -10);
            Assert.False(log.TryAdvanceLogStartOffset(log.LogEndOffset));
            long thirdBase = Directory.GetFiles(ctx.LogDirectory, "*.log").Order()
                .Select(p => long.Parse(Path.GetFileNameWithoutExtension(p), System.Globalization.CultureInfo.InvariantCulture)).ElementAt(2);
            target = new Offset(thirdBase + 3);
            Assert.True(log.TryAdvanceLogStartOffset(target));
            Assert.Equal(target, log.LogStartOffset);
            Assert.Equal(thirdBase, FirstSegmentBase(ctx));
            Assert.Equal(LogReadStatus.OffsetOutOfRange, log.TryRead(target + -1, 100, log.LogEndOffset, out _));
            Assert.Equal(LogReadStatus.Ok, log.TryRead(target, 100, log.LogEndOffset, out LogSlice s));
            Assert.True(s.FirstBatchBaseOffset <= target);
            Assert.True(log.TryAdvanceLogStartOffset(new Offset(1)), "moving backwards is a no-op");
            Assert.Equal(target, log.LogStartOffset);
        }
        using PartitionLog reopened = ctx.Open();
        Assert.Equal(target, reopened.LogStartOffset);
    }

    [Fact]
    public void RollByAge_StartsANewSegmentOnceTheActiveOneIsOld()
    {
        // Goal: segment roll by age. Method: manual clock; a batch after SegmentMaxAgeMs goes into a new segment, an empty segment does not roll.
        var clock = new ManualClock(5_000_000);
        using var ctx = new LogTestContext(DeviceKind.Pwrite, clock);
        using PartitionLog log = ctx.Open(new PartitionLogOptions
        {
            SegmentBytes = 1 << 20, WriteBufferBytes = 64 * 1024, MaxBatchBytes = 32 * 1024, SegmentMaxAgeMs = 1000,
        });
        LogTestContext.Append(log, BatchFactory.Build(1, 10, 1, 1));
        clock.AdvanceMs(999);
        LogTestContext.Append(log, BatchFactory.Build(1, 10, 1, 2));
        Assert.Equal(1, log.SegmentCount);
        clock.AdvanceMs(1);
        AppendResult r = LogTestContext.Append(log, BatchFactory.Build(1, 10, 1, 3));
        Assert.Equal(2, log.SegmentCount);
        Assert.True(File.Exists(Path.Combine(ctx.LogDirectory, "00000000000000000002.log")));
        Assert.Equal(2, r.BaseOffset.Value);
        Assert.Equal(3, LogTestContext.ReadAll(log).Count);
    }

    private static PartitionLogOptions WithRetention(long bytes, long ms) => new()
    {
        SegmentBytes = LogTestContext.SmallOptions.SegmentBytes,
        WriteBufferBytes = LogTestContext.SmallOptions.WriteBufferBytes,
        MaxBatchBytes = LogTestContext.SmallOptions.MaxBatchBytes,
        IndexIntervalBytes = 1024,
        RetentionBytes = bytes,
        RetentionMs = ms,
    };

    private static void Fill(PartitionLog log, int segments)
    {
        var expected = new List<byte[]>();
        while (log.SegmentCount < segments)
        {
            RecoveryTests.AppendStream(log, expected, seed: expected.Count, count: 1);
        }
    }

    private static long FirstSegmentBase(LogTestContext ctx) =>
        Directory.GetFiles(ctx.LogDirectory, "*.log").Order()
            .Select(p => long.Parse(Path.GetFileNameWithoutExtension(p), System.Globalization.CultureInfo.InvariantCulture)).First();
}
