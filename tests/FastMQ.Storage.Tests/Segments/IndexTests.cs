using System;
using System.Buffers.Binary;
using FastMQ.Core;
using FastMQ.Storage.Segments;
using Xunit;

namespace FastMQ.Storage.Tests.Segments;

public class IndexTests
{
    [Fact]
    public void OffsetIndex_FloorLookups_AndRoundTripThroughTheFileFormat()
    {
        // Goal: floor lookups by offset and by position, and the big-endian file format. Method: entries every 10 offsets / 4096 bytes, probe around each.
        using var index = new OffsetIndex(100);
        for (int i = 1; i <= 50; i++)
        {
            Assert.True(index.TryAppend(i * 10, i * 4096));
        }
        Assert.Equal(0, index.FloorPosition(9));
        Assert.Equal(4096, index.FloorPosition(10));
        Assert.Equal(4096, index.FloorPosition(19));
        Assert.Equal(50 * 4096, index.FloorPosition(long.MaxValue));
        Assert.False(index.TryFloorByPosition(4095, out _, out _));
        Assert.True(index.TryFloorByPosition(8191, out int rel, out int pos));
        Assert.Equal((10, 4096), (rel, pos));

        byte[] file = index.Serialize();
        Assert.Equal(50 * IndexDescriptor.OffsetEntrySize, file.Length);
        Assert.Equal(20, BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(8)));
        using OffsetIndex loaded = OffsetIndex.TryLoad(file, 100, dataBytes: 51 * 4096, relativeOffsetLimit: 501, out string? problem)!;
        Assert.Null(problem);
        Assert.Equal(50, loaded.Count);
        Assert.Equal(index.FloorPosition(255), loaded.FloorPosition(255));
    }

    [Fact]
    public void OffsetIndex_TryLoad_RejectsDamagedFiles()
    {
        // Goal: a disk read is checked before it is trusted. Method: partial entry, out-of-order entry, position past the data, offset past the segment.
        byte[] good = new byte[16];
        Write(good, 0, 5, 4096);
        Write(good, 1, 9, 8192);
        Assert.NotNull(Load(good, 10_000, 100));
        Assert.Null(Load(good.AsSpan(0, 12).ToArray(), 10_000, 100));
        byte[] disorder = (byte[])good.Clone();
        Write(disorder, 1, 4, 8192);
        Assert.Null(Load(disorder, 10_000, 100));
        Assert.Null(Load(good, 8192, 100));
        Assert.Null(Load(good, 10_000, 9));
    }

    [Fact]
    public void TimeIndex_KeepsRisingTimestampsOnly_AndFindsTheLastEntryBefore()
    {
        // Goal: the time index invariant. Method: append rising and falling timestamps; lookups strictly before the target.
        using var index = new TimeIndex(10);
        Assert.True(index.TryAppend(100, 0));
        Assert.False(index.TryAppend(100, 1));
        Assert.False(index.TryAppend(50, 2));
        Assert.True(index.TryAppend(200, 3));
        Assert.Equal(-1, index.LastRelativeOffsetBefore(100));
        Assert.Equal(0, index.LastRelativeOffsetBefore(101));
        Assert.Equal(3, index.LastRelativeOffsetBefore(long.MaxValue));
        Assert.Equal(200, index.LastTimestamp);
        using TimeIndex loaded = TimeIndex.TryLoad(index.Serialize(), 10, relativeOffsetLimit: 4, out _)!;
        Assert.Equal(2, loaded.Count);
        Assert.Null(TimeIndex.TryLoad(index.Serialize(), 10, relativeOffsetLimit: 3, out string? problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void SegmentFileNames_AreTwentyDigitBaseOffsets()
    {
        // Goal: the Kafka naming scheme. Method: format and parse, reject look-alikes.
        Assert.Equal("00000000000000012345", SegmentFileNames.BaseName(new Offset(12345)));
        Assert.True(SegmentFileNames.TryParseBaseOffset("00000000000000012345.log", ".log", out Offset o));
        Assert.Equal(12345, o.Value);
        Assert.False(SegmentFileNames.TryParseBaseOffset("0000000000000012345.log", ".log", out _));
        Assert.False(SegmentFileNames.TryParseBaseOffset("0000000000000001234x.log", ".log", out _));
        Assert.False(SegmentFileNames.TryParseBaseOffset("00000000000000012345.index", ".log", out _));
    }

    private static void Write(byte[] file, int entry, int rel, int pos)
    {
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(entry * 8), rel);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan((entry * 8) + 4), pos);
    }

    private static OffsetIndex? Load(byte[] bytes, long dataBytes, long limit)
    {
        OffsetIndex? index = OffsetIndex.TryLoad(bytes, 10, dataBytes, limit, out _);
        index?.Dispose();
        return index;
    }
}
