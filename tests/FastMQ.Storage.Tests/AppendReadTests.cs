using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FastMQ.Core;
using FastMQ.Protocol.Records;
using FastMQ.Storage.CrashHarness;
using FastMQ.Storage.Devices;
using FastMQ.Storage.Segments;
using FastMQ.Storage.Tests.Support;
using Xunit;

namespace FastMQ.Storage.Tests;

public class AppendReadTests
{
    public static TheoryData<DeviceKind> Kinds => new() { DeviceKind.IoUring, DeviceKind.Pwrite };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Append_ThenRead_ReturnsIdenticalBatchesWithAssignedOffsets(DeviceKind kind)
    {
        // Goal: batches read back byte-identical with offsets and epoch assigned in place. Method: 300 random batches over several segments, read all, compare, check headers.
        using var ctx = new LogTestContext(kind);
        using PartitionLog log = ctx.Open();
        var expected = new List<byte[]>();
        long nextOffset = 0;
        for (int i = 0; i < 300; i++)
        {
            byte[] batch = BatchFactory.BuildStream(11, i);
            AppendResult r = LogTestContext.Append(log, batch, epoch: 5);
            Assert.Equal(nextOffset, r.BaseOffset.Value);
            var header = new RecordBatchHeader(batch);
            Assert.Equal(nextOffset, header.BaseOffset);
            Assert.Equal(5, header.PartitionLeaderEpoch);
            Assert.Equal(nextOffset + header.LastOffsetDelta, r.LastOffset.Value);
            nextOffset = r.LastOffset.Value + 1;
            expected.Add(batch);
        }
        Assert.Equal(nextOffset, log.LogEndOffset.Value);
        Assert.True(log.SegmentCount > 3, $"expected several segments, got {log.SegmentCount}");
        Assert.Equal(AppendStatus.Ok, log.Flush());
        Assert.Equal(log.LogEndOffset, log.FlushedOffset);
        Assert.Equal(log.LogEndOffset, log.WrittenOffset);

        List<byte[]> actual = LogTestContext.ReadAll(log);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"batch {i} differs");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Read_EveryOffsetAndSegmentBoundary_FindsTheContainingBatch(DeviceKind kind)
    {
        // Goal: offset lookup (segment search + sparse index + header scan) is right at every boundary. Method: multi-record batches over 5+ segments; read every offset, the first and last offset of each segment, before start, at and past end.
        using var ctx = new LogTestContext(kind);
        using PartitionLog log = ctx.Open();
        var batches = new List<(long Base, long Last, byte[] Bytes)>();
        for (int i = 0; i < 300; i++)
        {
            byte[] batch = BatchFactory.Build(records: 1 + (i % 4), valueBytes: 200 + (i * 37 % 1500), timestampMs: 1000 + i, seed: i);
            AppendResult r = LogTestContext.Append(log, batch);
            batches.Add((r.BaseOffset.Value, r.LastOffset.Value, batch));
        }
        Assert.True(log.SegmentCount >= 5, $"expected at least 5 segments, got {log.SegmentCount}");
        log.Flush();

        foreach ((long b, long last, byte[] bytes) in batches)
        {
            for (long o = b; o <= last; o++)
            {
                Assert.True(bytes.AsSpan().SequenceEqual(LogTestContext.ReadBatch(log, new Offset(o))), $"offset {o}");
            }
        }
        var segmentBases = Directory.GetFiles(ctx.LogDirectory, "*.log")
            .Select(p => long.Parse(Path.GetFileNameWithoutExtension(p), System.Globalization.CultureInfo.InvariantCulture))
            .Order().ToList();
        Assert.Equal(log.SegmentCount, segmentBases.Count);
        for (int s = 0; s < segmentBases.Count; s++)
        {
            long first = segmentBases[s];
            long lastOfSegment = s + 1 < segmentBases.Count ? segmentBases[s + 1] - 1 : log.LogEndOffset.Value - 1;
            Assert.Equal(first, new RecordBatchHeader(LogTestContext.ReadBatch(log, new Offset(first))).BaseOffset);
            var lastHeader = new RecordBatchHeader(LogTestContext.ReadBatch(log, new Offset(lastOfSegment)));
            Assert.Equal(lastOfSegment, lastHeader.LastOffset);
        }
        Assert.Equal(LogReadStatus.OffsetOutOfRange, log.TryRead(new Offset(-1), 1000, log.LogEndOffset, out _));
        Assert.Equal(LogReadStatus.NoData, log.TryRead(log.LogEndOffset, 1000, log.LogEndOffset, out _));
        Assert.Equal(LogReadStatus.OffsetOutOfRange, log.TryRead(log.LogEndOffset + 1, 1000, log.LogEndOffset, out _));
    }

    [Fact]
    public void FileReads_AskTheKernelToReadAhead_OncePerWindow_NotPerFetch()
    {
        // Goal: a consumer behind the tail cache (whose bytes were written with O_DIRECT, so are not in the page cache)
        // gets posix_fadvise(WILLNEED) read-ahead: on its first file read, then whenever it comes within half a window of
        // what was asked — never once per fetch, and not again for a range already asked for. Method: ~20 MiB in 60 KB
        // batches, read sequentially in 256 KiB fetches, counting the log's advices; then re-read from the start.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        var options = new PartitionLogOptions
        {
            SegmentBytes = 64L << 20,
            WriteBufferBytes = 1 << 20,
            MaxBatchBytes = 256 * 1024,
            IndexIntervalBytes = 4096,
        };
        using PartitionLog log = ctx.Open(options);
        for (int i = 0; i < 340; i++)
        {
            LogTestContext.Append(log, BatchFactory.Build(records: 60, valueBytes: 1000, timestampMs: 1000 + i, seed: i));
        }
        log.Flush();
        var offset = new Offset(0);
        int fileReads = 0;
        long advicesAfterFirst = -1;
        while (log.TryRead(offset, 256 * 1024, log.LogEndOffset, out LogSlice slice) == LogReadStatus.Ok && !slice.IsMemory)
        {
            fileReads++;
            if (advicesAfterFirst < 0)
            {
                advicesAfterFirst = log.ReadAheadAdvices;
            }
            offset = slice.NextOffset;
        }
        long sequential = log.ReadAheadAdvices;
        Assert.True(fileReads > 60, $"only {fileReads} file reads");
        Assert.Equal(1, advicesAfterFirst);
        // ~19 MiB of file data, a new window every ~4 MiB: a handful of advices for dozens of fetches.
        Assert.InRange(sequential, 3, 8);
        Assert.Equal(LogReadStatus.Ok, log.TryRead(new Offset(0), 256 * 1024, log.LogEndOffset, out _));
        Assert.Equal(sequential, log.ReadAheadAdvices);
    }

    [Fact]
    public void Read_AfterClose_SaysClosed_InsteadOfTouchingReleasedSegments()
    {
        // Goal: a reader that reaches a log after it was closed (a parked fetch woken by the final flush of a graceful
        // shutdown) gets a status, not an exception from released segments (which killed the shard). Method: append,
        // close, read at valid and invalid offsets: Closed every time.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        PartitionLog log = ctx.Open();
        LogTestContext.Append(log, BatchFactory.Build(2, 100, 1, 0));
        Assert.Equal(LogReadStatus.Ok, log.TryRead(new Offset(0), 1 << 20, log.LogEndOffset, out _));
        Offset end = log.LogEndOffset;
        log.Close();
        Assert.Equal(LogReadStatus.Closed, log.TryRead(new Offset(0), 1 << 20, end, out LogSlice slice));
        Assert.Equal(0, slice.Length);
        Assert.Equal(LogReadStatus.Closed, log.TryRead(new Offset(1), 1 << 20, end, out _));
        Assert.Equal(LogReadStatus.Closed, log.TryRead(new Offset(-1), 1 << 20, end, out _));
    }

    [Fact]
    public void Read_RespectsMaxBytesAtBatchBoundaries_ButReturnsOneWholeBatch()
    {
        // Goal: KIP-74 semantics. Method: 2 KiB batches; a 1-byte budget still gets one batch, 5000 bytes get exactly two, the high watermark caps the slice.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        using PartitionLog log = ctx.Open();
        var sizes = new List<int>();
        for (int i = 0; i < 10; i++)
        {
            byte[] batch = BatchFactory.Build(2, 1000, 5000 + i, i);
            sizes.Add(batch.Length);
            LogTestContext.Append(log, batch);
        }
        Assert.Equal(LogReadStatus.Ok, log.TryRead(new Offset(0), 1, log.LogEndOffset, out LogSlice one));
        Assert.Equal(sizes[0], one.Length);
        Assert.Equal(new Offset(2), one.NextOffset);

        Assert.Equal(LogReadStatus.Ok, log.TryRead(new Offset(3), sizes[1] + sizes[2] + 10, log.LogEndOffset, out LogSlice two));
        Assert.Equal(new Offset(2), two.FirstBatchBaseOffset);
        Assert.Equal(sizes[1] + sizes[2], two.Length);
        Assert.Equal(new Offset(6), two.NextOffset);

        Assert.Equal(LogReadStatus.Ok, log.TryRead(new Offset(0), 1 << 20, new Offset(8), out LogSlice capped));
        Assert.Equal(new Offset(8), capped.NextOffset);
        Assert.Equal(LogReadStatus.NoData, log.TryRead(new Offset(8), 1 << 20, new Offset(8), out _));
        // An upper bound inside a batch hides that batch.
        Assert.Equal(LogReadStatus.NoData, log.TryRead(new Offset(8), 1 << 20, new Offset(9), out _));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Read_NewestBytesComeFromTailCache_SealedSegmentsFromTheFile(DeviceKind kind)
    {
        // Goal: reads are zero-copy from the right source. Method: roll once, then check the slice kinds and that the file slice's position/length hold the bytes.
        using var ctx = new LogTestContext(kind);
        using PartitionLog log = ctx.Open();
        var batches = new List<byte[]>();
        while (log.SegmentCount < 2)
        {
            byte[] b = BatchFactory.Build(1, 3000, 1, batches.Count);
            LogTestContext.Append(log, b);
            batches.Add(b);
        }
        log.Flush();
        Assert.Equal(LogReadStatus.Ok, log.TryRead(new Offset(0), 1, log.LogEndOffset, out LogSlice first));
        Assert.False(first.IsMemory);
        Assert.Equal(0, first.FilePosition);
        Assert.False(first.File!.IsDirect);
        Assert.Equal(LogReadStatus.Ok, log.TryRead(log.LogEndOffset + -1, 1, log.LogEndOffset, out LogSlice last));
        Assert.True(last.IsMemory);
        Assert.True(batches[^1].AsSpan().SequenceEqual(last.Memory));
    }

    [Fact]
    public void Append_InvalidBatches_AreRejectedWithoutChangingTheLog()
    {
        // Goal: bad input gives a precise status and leaves the log untouched. Method: flipped CRC byte, truncated batch, trailing bytes, oversize batch.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        using PartitionLog log = ctx.Open();
        LogTestContext.Append(log, BatchFactory.Build(1, 100, 1, 1));
        Offset end = log.LogEndOffset;

        byte[] corrupt = BatchFactory.Build(1, 100, 1, 2);
        corrupt[^1] ^= 0x40;
        Assert.Equal(AppendStatus.CorruptMessage, log.TryAppend(corrupt, new Epoch(1), out AppendResult r1));
        Assert.Equal(BatchValidation.CrcMismatch, r1.Validation);

        byte[] good = BatchFactory.Build(1, 100, 1, 3);
        Assert.Equal(AppendStatus.CorruptMessage, log.TryAppend(good.AsSpan(0, good.Length - 1), new Epoch(1), out AppendResult r2));
        Assert.Equal(BatchValidation.Incomplete, r2.Validation);

        byte[] trailing = new byte[good.Length + 5];
        good.CopyTo(trailing, 0);
        Assert.Equal(AppendStatus.CorruptMessage, log.TryAppend(trailing, new Epoch(1), out AppendResult r3));
        Assert.Equal(BatchValidation.InvalidLength, r3.Validation);

        byte[] huge = BatchFactory.Build(1, 40_000, 1, 4);
        Assert.Equal(AppendStatus.TooLarge, log.TryAppend(huge, new Epoch(1), out _));
        Assert.Equal(end, log.LogEndOffset);
        Assert.Single(LogTestContext.ReadAll(log));
    }

    [Fact]
    public void Roll_SealsSegments_TrimmedWithPersistedIndexes()
    {
        // Goal: a roll leaves exact, indexed sealed segments named by base offset. Method: fill three segments, inspect the files on disk.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        using PartitionLog log = ctx.Open();
        while (log.SegmentCount < 3)
        {
            LogTestContext.Append(log, BatchFactory.Build(3, 1500, 10, (int)log.LogEndOffset.Value));
        }
        string[] logs = Directory.GetFiles(ctx.LogDirectory, "*.log").Order().ToArray();
        Assert.Equal(3, logs.Length);
        Assert.Equal("00000000000000000000.log", Path.GetFileName(logs[0]));
        for (int i = 0; i < 2; i++)
        {
            long length = new FileInfo(logs[i]).Length;
            Assert.True(length <= LogTestContext.SmallOptions.SegmentBytes && length > LogTestContext.SmallOptions.SegmentBytes / 2, $"sealed length {length}");
            Assert.True(File.Exists(Path.ChangeExtension(logs[i], ".index")));
            Assert.True(new FileInfo(Path.ChangeExtension(logs[i], ".timeindex")).Length >= IndexDescriptor.TimeEntrySize);
            Assert.True(new FileInfo(Path.ChangeExtension(logs[i], ".index")).Length >= IndexDescriptor.OffsetEntrySize * 10);
        }
        // The active segment is preallocated to the full segment size.
        Assert.Equal(LogTestContext.SmallOptions.SegmentBytes, new FileInfo(logs[2]).Length);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ManyLogsOnOneShardContext_EachGetsItsOwnCompletions(DeviceKind kind)
    {
        // Goal: one device per shard serves many logs; completions reach the right log. Method: three logs on one context, interleaved appends and storage turns, then every log durable and intact.
        using var ctx = new LogTestContext(kind);
        var logs = new PartitionLog[3];
        var expected = new List<byte[]>[3];
        for (int p = 0; p < logs.Length; p++)
        {
            logs[p] = PartitionLog.Open(Path.Combine(ctx.Root, $"t-{p}"), LogTestContext.SmallOptions, ctx.Io, ctx.Logger);
            expected[p] = [];
        }
        Assert.Equal(3, ctx.Io.LogCount);
        for (int i = 0; i < 150; i++)
        {
            int p = i % 3;
            byte[] b = BatchFactory.BuildStream(20 + p, i);
            LogTestContext.Append(logs[p], b);
            expected[p].Add(b);
            if (i % 5 == 0)
            {
                ctx.Io.Poll();
            }
        }
        LogTestContext.PollUntil(logs[0], () => Array.TrueForAll(logs, l => l.FlushedOffset == l.LogEndOffset), "all logs durable");
        for (int p = 0; p < logs.Length; p++)
        {
            RecoveryTests.AssertBatches(expected[p], LogTestContext.ReadAll(logs[p]));
            logs[p].Close();
        }
        Assert.Equal(0, ctx.Io.LogCount);
    }
}
