using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FastMQ.Core;
using FastMQ.Interop;
using FastMQ.Protocol.Records;
using FastMQ.Storage.CrashHarness;
using FastMQ.Storage.Devices;
using FastMQ.Storage.Tests.Support;
using Xunit;

namespace FastMQ.Storage.Tests;

public class RecoveryTests
{
    // One big segment so every batch of these tests lives in the active segment.
    private static readonly PartitionLogOptions OneSegment = new()
    {
        SegmentBytes = 1 << 20,
        WriteBufferBytes = 64 * 1024,
        MaxBatchBytes = 32 * 1024,
        IndexIntervalBytes = 1024,
    };

    public static TheoryData<DeviceKind> Kinds => new() { DeviceKind.IoUring, DeviceKind.Pwrite };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Reopen_AfterCleanClose_SkipsTheScanAndContinuesTheOffsets(DeviceKind kind)
    {
        // Goal: a clean close lets the next open trust the files. Method: append over several segments, close, reopen (no scan), append more (rewriting the partial block), close and reopen again, compare everything.
        using var ctx = new LogTestContext(kind);
        var expected = new List<byte[]>();
        Offset end;
        using (PartitionLog log = ctx.Open())
        {
            AppendStream(log, expected, seed: 1, count: 120);
            end = log.LogEndOffset;
        }
        Assert.True(File.Exists(Path.Combine(ctx.LogDirectory, ".clean-shutdown")));
        using (PartitionLog log = ctx.Open())
        {
            Assert.True(log.Recovery.CleanShutdown);
            Assert.Equal(0, log.Recovery.SegmentsScanned);
            Assert.False(File.Exists(Path.Combine(ctx.LogDirectory, ".clean-shutdown")));
            Assert.Equal(end, log.LogEndOffset);
            Assert.Equal(end, log.FlushedOffset);
            Assert.Equal(end, log.HighWatermark);
            AssertBatches(expected, LogTestContext.ReadAll(log));
            AppendResult next = LogTestContext.Append(log, Copy(BatchFactory.BuildStream(2, 0), expected));
            Assert.Equal(end, next.BaseOffset);
            AppendStream(log, expected, seed: 3, count: 30);
        }
        using (PartitionLog log = ctx.Open())
        {
            Assert.True(log.Recovery.CleanShutdown);
            AssertBatches(expected, LogTestContext.ReadAll(log));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Reopen_WithoutCleanMarker_ScansAndKeepsEveryWrittenBatch(DeviceKind kind)
    {
        // Goal: recovery without the marker keeps all written data and reports every header. Method: flush, simulate a crash, reopen with a header callback.
        using var ctx = new LogTestContext(kind);
        var expected = new List<byte[]>();
        PartitionLog log = ctx.Open(OneSegment);
        AppendStream(log, expected, seed: 4, count: 80);
        Assert.Equal(AppendStatus.Ok, log.Flush());
        Offset end = log.LogEndOffset;
        log.TestHookAbandon();

        var headers = new List<(long Base, long Position)>();
        using PartitionLog reopened = ctx.Open(OneSegment, (h, segmentBase, position) => headers.Add((h.BaseOffset, position)));
        Assert.False(reopened.Recovery.CleanShutdown);
        Assert.Equal(1, reopened.Recovery.SegmentsScanned);
        Assert.Equal(0, reopened.Recovery.SegmentsTruncated);
        Assert.Equal(end, reopened.LogEndOffset);
        AssertBatches(expected, LogTestContext.ReadAll(reopened));
        Assert.Equal(expected.Count, headers.Count);
        Assert.Equal(expected.Select(b => new RecordBatchHeader(b).BaseOffset), headers.Select(h => h.Base));
        Assert.Contains(ctx.Logger.Entries, e => e.EventId == 2);
    }

    [Fact]
    public void Reopen_AfterCrashWithUnwrittenAppends_KeepsExactlyTheWrittenBatches()
    {
        // Goal: appends never written before a crash vanish cleanly. Method: flush 30 batches, append 5 more without a storage turn, crash, reopen.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        var expected = new List<byte[]>();
        PartitionLog log = ctx.Open(OneSegment);
        AppendStream(log, expected, seed: 5, count: 30);
        log.Flush();
        Offset durable = log.FlushedOffset;
        AppendStream(log, [], seed: 6, count: 5);
        Assert.True(log.LogEndOffset > durable);
        log.TestHookAbandon();

        using PartitionLog reopened = ctx.Open(OneSegment);
        Assert.Equal(durable, reopened.LogEndOffset);
        AssertBatches(expected, LogTestContext.ReadAll(reopened));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Recovery_BitFlipInActiveSegment_TruncatesAtTheCorruptBatchAndErasesTheRest(bool lastBatch)
    {
        // Goal: CRC catches a flipped bit; recovery cuts there, erases the rest on disk, logs it, never serves it. Method: flip one bit in batch 20 (middle) or in the last batch, reopen without the marker.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        var expected = new List<byte[]>();
        PartitionLog log = ctx.Open(OneSegment);
        AppendStream(log, expected, seed: 7, count: 40);
        log.Flush();
        string segment = log.TestHookActiveSegmentPath;
        long dataEnd = log.TestHookActiveDataBytes;
        log.TestHookAbandon();

        int victim = lastBatch ? expected.Count - 1 : 20;
        long position = expected.Take(victim).Sum(b => (long)b.Length);
        FlipBit(segment, position + expected[victim].Length - 3);

        using PartitionLog reopened = ctx.Open(OneSegment);
        Assert.Equal(1, reopened.Recovery.SegmentsTruncated);
        byte[] cut = expected.Skip(victim).SelectMany(b => b).ToArray();
        long discarded = cut.AsSpan().LastIndexOfAnyExcept((byte)0) + 1; // records may end in zero bytes
        Assert.True(discarded > dataEnd - position - 8);
        Assert.Equal(discarded, reopened.Recovery.BytesDiscarded);
        Assert.Equal(new RecordBatchHeader(expected[victim]).BaseOffset, reopened.LogEndOffset.Value);
        AssertBatches(expected.Take(victim).ToList(), LogTestContext.ReadAll(reopened));
        (LogLevelHolder level, string message) = Single(ctx.Logger, eventId: 1);
        Assert.Contains(Path.GetFileName(segment), message);
        Assert.Contains($"position {position}", message);
        Assert.Contains($"{discarded} bytes", message);
        Assert.Contains("CrcMismatch", message);
        Assert.True(level.IsWarning);
        AssertZeros(segment, position, 64 * 1024);

        // The log goes on from the cut: the next batch takes the corrupt batch's offset.
        AppendResult r = LogTestContext.Append(reopened, BatchFactory.BuildStream(8, 0));
        Assert.Equal(new RecordBatchHeader(expected[victim]).BaseOffset, r.BaseOffset.Value);
    }

    [Fact]
    public void Recovery_GarbageAfterTheTail_IsReportedAndErased()
    {
        // Goal: bytes in the zero space after the last batch are never taken as data. Method: write random bytes 100 bytes after the tail, reopen.
        using var ctx = new LogTestContext(DeviceKind.IoUring);
        var expected = new List<byte[]>();
        PartitionLog log = ctx.Open(OneSegment);
        AppendStream(log, expected, seed: 9, count: 25);
        log.Flush();
        string segment = log.TestHookActiveSegmentPath;
        long dataEnd = log.TestHookActiveDataBytes;
        Offset end = log.LogEndOffset;
        log.TestHookAbandon();

        byte[] garbage = new byte[700];
        new Random(42).NextBytes(garbage);
        WriteAt(segment, dataEnd + 100, garbage);

        using PartitionLog reopened = ctx.Open(OneSegment);
        Assert.Equal(end, reopened.LogEndOffset);
        Assert.Equal(1, reopened.Recovery.SegmentsTruncated);
        Assert.Equal(800, reopened.Recovery.BytesDiscarded);
        Assert.Contains("torn write", Single(ctx.Logger, eventId: 1).Message);
        AssertBatches(expected, LogTestContext.ReadAll(reopened));
        AssertZeros(segment, dataEnd, 64 * 1024);
    }

    [Fact]
    public void Recovery_StaleValidBatchAfterTheTail_IsRejectedByOffsetContinuity()
    {
        // Goal: a CRC-valid batch left from before a truncation is not data. Method: copy an earlier stored batch (valid CRC, old offsets) right after the tail, reopen.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        var expected = new List<byte[]>();
        PartitionLog log = ctx.Open(OneSegment);
        AppendStream(log, expected, seed: 10, count: 12);
        log.Flush();
        string segment = log.TestHookActiveSegmentPath;
        long dataEnd = log.TestHookActiveDataBytes;
        Offset end = log.LogEndOffset;
        log.TestHookAbandon();

        WriteAt(segment, dataEnd, expected[3]);

        using PartitionLog reopened = ctx.Open(OneSegment);
        Assert.Equal(end, reopened.LogEndOffset);
        Assert.Contains("offset discontinuity", Single(ctx.Logger, eventId: 1).Message);
        AssertBatches(expected, LogTestContext.ReadAll(reopened));
        AssertZeros(segment, dataEnd, expected[3].Length);
    }

    [Fact]
    public void Recovery_MissingOrDamagedIndexes_AreRebuilt()
    {
        // Goal: index files are a cache that recovery can rebuild. Method: three segments, clean close, delete one .index, truncate one .timeindex mid-entry, reopen, look up every batch.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        var expected = new List<byte[]>();
        using (PartitionLog log = ctx.Open())
        {
            while (log.SegmentCount < 3)
            {
                AppendStream(log, expected, seed: 11 + expected.Count, count: 1);
            }
        }
        string[] logs = Directory.GetFiles(ctx.LogDirectory, "*.log").Order().ToArray();
        File.Delete(Path.ChangeExtension(logs[0], ".index"));
        string timeIndex = Path.ChangeExtension(logs[1], ".timeindex");
        byte[] t = File.ReadAllBytes(timeIndex);
        File.WriteAllBytes(timeIndex, t.AsSpan(0, t.Length - 5).ToArray());

        using PartitionLog reopened = ctx.Open();
        Assert.Equal(2, ctx.Logger.Entries.Count(e => e.EventId == 4));
        Assert.True(File.Exists(Path.ChangeExtension(logs[0], ".index")));
        Assert.Equal(0, File.ReadAllBytes(timeIndex).Length % 12);
        AssertBatches(expected, LogTestContext.ReadAll(reopened));
        foreach (byte[] b in expected)
        {
            Assert.True(b.AsSpan().SequenceEqual(LogTestContext.ReadBatch(reopened, new Offset(new RecordBatchHeader(b).LastOffset))));
        }
    }

    [Fact]
    public void Recovery_CorruptSealedSegmentWithoutIndex_TruncatesItAndDropsLaterSegments()
    {
        // Goal: a rebuild scan of a sealed segment that finds corruption keeps the log consistent. Method: three segments, remove segment 0's index, flip a bit in its 5th batch, reopen.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        var expected = new List<byte[]>();
        using (PartitionLog log = ctx.Open())
        {
            while (log.SegmentCount < 3)
            {
                AppendStream(log, expected, seed: 100 + expected.Count, count: 1);
            }
        }
        string[] logs = Directory.GetFiles(ctx.LogDirectory, "*.log").Order().ToArray();
        File.Delete(Path.ChangeExtension(logs[0], ".index"));
        long position = expected.Take(4).Sum(b => (long)b.Length);
        FlipBit(logs[0], position + 70);

        using PartitionLog reopened = ctx.Open();
        Assert.Equal(1, reopened.SegmentCount);
        Assert.Equal(2, reopened.Recovery.SegmentsDeleted);
        Assert.False(File.Exists(logs[1]));
        Assert.Equal(new RecordBatchHeader(expected[4]).BaseOffset, reopened.LogEndOffset.Value);
        AssertBatches(expected.Take(4).ToList(), LogTestContext.ReadAll(reopened));
        LogTestContext.Append(reopened, BatchFactory.BuildStream(5, 5));
        Assert.Equal(AppendStatus.Ok, reopened.Flush());
    }

    internal static void AppendStream(PartitionLog log, List<byte[]> expected, int seed, int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] batch = BatchFactory.BuildStream(seed, i);
            LogTestContext.Append(log, batch);
            expected.Add(batch);
        }
    }

    internal static void AssertBatches(List<byte[]> expected, List<byte[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"batch {i} differs");
        }
    }

    internal static void AssertZeros(string path, long from, int count)
    {
        byte[] bytes = new byte[count];
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read);
        f.Position = from;
        int n = f.ReadAtLeast(bytes, count, throwOnEndOfStream: false);
        Assert.True(bytes.AsSpan(0, n).IndexOfAnyExcept((byte)0) < 0, $"non-zero bytes after position {from}");
    }

    internal static void FlipBit(string path, long position)
    {
        using NativeFile f = NativeFile.Open(path, NativeOpenFlags.ReadWrite);
        byte[] one = new byte[1];
        f.ReadAt(one, position);
        one[0] ^= 0x10;
        f.WriteAt(one, position);
    }

    internal static void WriteAt(string path, long position, byte[] bytes)
    {
        using NativeFile f = NativeFile.Open(path, NativeOpenFlags.ReadWrite);
        f.WriteAt(bytes, position);
    }

    private static byte[] Copy(byte[] batch, List<byte[]> expected)
    {
        expected.Add(batch);
        return batch;
    }

    private static (LogLevelHolder Level, string Message) Single(CapturingLogger logger, int eventId)
    {
        var e = Assert.Single(logger.Entries, x => x.EventId == eventId);
        return (new LogLevelHolder(e.Level), e.Message);
    }

    internal readonly record struct LogLevelHolder(Microsoft.Extensions.Logging.LogLevel Level)
    {
        public bool IsWarning => Level == Microsoft.Extensions.Logging.LogLevel.Warning;
    }
}
