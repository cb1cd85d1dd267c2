using System;
using System.Collections.Generic;
using System.Linq;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Records;
using FastMQ.Protocol.Tests.Capture;
using Xunit;
using Record = FastMQ.Protocol.Records.Record;

namespace FastMQ.Protocol.Tests.Records;

public sealed class RecordBatchReaderTests
{
    [Fact]
    public void Read_HandAssembledRecords_ReturnsEveryField()
    {
        // Goal: the reader maps every wire field. Method: assemble two records by hand (negative timestamp delta,
        // null key, empty value, a header with a null value) and read them back with TryReadNext.
        // First record body: attributes, timestampDelta -5, offsetDelta 0, key null, value empty, one header "h" = null.
        byte[] area = new RawBatch()
            .VarInt(9).Byte(0).VarInt(-5).VarInt(0).VarInt(-1).VarInt(0).VarInt(1).VarInt(1).Bytes("h"u8).VarInt(-1)
            .Record(1, "key"u8, "value"u8)
            .ToArray();
        byte[] batch = RawBatch.Wrap(area, 2);

        var reader = new RecordBatchReader(batch);
        Assert.True(reader.TryReadNext(out Record first));
        Assert.Equal(-5, first.TimestampDelta);
        Assert.Equal(0, first.OffsetDelta);
        Assert.True(first.IsKeyNull);
        Assert.True(first.Key.IsEmpty);
        Assert.False(first.IsValueNull);
        Assert.True(first.Value.IsEmpty);
        Assert.Equal(1, first.HeaderCount);
        Assert.Equal(10, first.SizeInBytes);
        RecordHeaderEnumerator headers = first.Headers;
        Assert.True(headers.MoveNext());
        Assert.True(headers.Current.Key.SequenceEqual("h"u8));
        Assert.True(headers.Current.IsValueNull);
        Assert.False(headers.MoveNext());

        Assert.True(reader.TryReadNext(out Record second));
        Assert.Equal(1, second.OffsetDelta);
        Assert.True(second.Key.SequenceEqual("key"u8));
        Assert.True(second.Value.SequenceEqual("value"u8));
        Assert.False(reader.TryReadNext(out _));
    }

    public static TheoryData<string, byte[], int, string> MalformedAreas => new()
    {
        { "key longer than record", new RawBatch().VarInt(7).Byte(0).VarInt(0).VarInt(0).VarInt(100).Bytes("ab"u8).VarInt(0).ToArray(), 1, "key of 100 bytes" },
        { "record longer than area", new RawBatch().VarInt(50).Byte(0).VarInt(0).VarInt(0).VarInt(-1).VarInt(-1).VarInt(0).ToArray(), 1, "beyond the records area" },
        { "record length below minimum", new RawBatch().VarInt(3).Byte(0).VarInt(0).VarInt(0).ToArray(), 1, "below 6" },
        { "negative record length", new RawBatch().VarInt(-2).ToArray(), 1, "length -2" },
        { "fields shorter than length", new RawBatch().VarInt(7).Byte(0).VarInt(0).VarInt(0).VarInt(-1).VarInt(-1).VarInt(0).Byte(9).ToArray(), 1, "fields end after 6" },
        { "key length below -1", new RawBatch().VarInt(6).Byte(0).VarInt(0).VarInt(0).VarInt(-7).VarInt(-1).VarInt(0).ToArray(), 1, "key length -7" },
        { "negative header count", new RawBatch().VarInt(6).Byte(0).VarInt(0).VarInt(0).VarInt(-1).VarInt(-1).VarInt(-3).ToArray(), 1, "negative headers count" },
        { "missing headers", new RawBatch().VarInt(6).Byte(0).VarInt(0).VarInt(0).VarInt(-1).VarInt(-1).VarInt(2).ToArray(), 1, "after 0 of 2 headers" },
        { "null header key", new RawBatch().VarInt(8).Byte(0).VarInt(0).VarInt(0).VarInt(-1).VarInt(-1).VarInt(1).VarInt(-1).VarInt(-1).ToArray(), 1, "header keys cannot be null" },
        { "header value past end", new RawBatch().VarInt(9).Byte(0).VarInt(0).VarInt(0).VarInt(-1).VarInt(-1).VarInt(1).VarInt(0).VarInt(20).Byte(1).ToArray(), 1, "header value of 20 bytes" },
        { "overlong varint", new RawBatch().Bytes([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]).ToArray(), 1, "longer than its maximum width" },
        { "cut-off varint", new RawBatch().Bytes([0x80]).ToArray(), 1, "length is cut off" },
        { "fewer records than count", new RawBatch().Record(0, "k"u8, "v"u8).ToArray(), 2, "ends after 1 of 2 records" },
        { "bytes after last record", new RawBatch().Record(0, "k"u8, "v"u8).Byte(0).ToArray(), 1, "1 bytes follow the last of the 1 records" },
        { "empty area", [], 1, "ends after 0 of 1 records" },
    };

    [Theory]
    [MemberData(nameof(MalformedAreas))]
    public void Read_MalformedRecords_ThrowsCorruptRecordWithPosition(string name, byte[] area, int count, string expected)
    {
        // Goal: every malformed shape gives a CorruptRecordException that says what is wrong, not a slicing error.
        // Method: hand-assembled areas in a correctly signed batch, read to the end.
        byte[] batch = RawBatch.Wrap(area, count);
        Assert.Equal(BatchValidation.Valid, RecordBatchValidator.Validate(batch, out _));

        var e = Assert.Throws<CorruptRecordException>(() => ReadAll(batch, null));

        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{name}: message was '{e.Message}'");
    }

    [Fact]
    public void Read_BadHeader_ThrowsCorruptRecord()
    {
        // Goal: the reader checks the header it depends on. Method: short span, bad magic, batchLength beyond the
        // data, reserved codec, negative count.
        byte[] good = RecordBatchValidatorTests.BuildSmallBatch();
        Assert.Throws<CorruptRecordException>(() => ReadAll(good.AsSpan(0, 60).ToArray(), null));

        byte[] badMagic = (byte[])good.Clone();
        badMagic[RecordBatchDescriptor.MagicOffset] = 1;
        Assert.Throws<CorruptRecordException>(() => ReadAll(badMagic, null));

        Assert.Throws<CorruptRecordException>(() => ReadAll(good.AsSpan(0, good.Length - 1).ToArray(), null));

        byte[] codec = (byte[])good.Clone();
        codec[RecordBatchDescriptor.AttributesOffset + 1] = 6;
        Assert.Throws<CorruptRecordException>(() => ReadAll(codec, null));

        byte[] negative = RawBatch.Wrap([], -1);
        Assert.Throws<CorruptRecordException>(() => ReadAll(negative, null));
    }

    [Fact]
    public void Read_CompressedWithoutDecompressor_ThrowsInvalidOperation()
    {
        // Goal: a caller that forgets the decompressor gets a clear error. Method: read the lz4 fixture without one.
        byte[] batch = ConfluentFixtureTests.ReadFixture(CompressionCodec.Lz4);
        var e = Assert.Throws<InvalidOperationException>(() => ReadAll(batch, null));
        Assert.Contains("RecordDecompressor", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ForeachAndOffsets_UseTheBatchBase()
    {
        // Goal: absolute offsets and timestamps come from the header; LogAppendTime uses maxTimestamp. Method: assign
        // a base offset, read with foreach, then set the LogAppendTime bit and read again.
        byte[] batch = ConfluentFixtureTests.ReadFixture(CompressionCodec.None);
        RecordBatchHeader.AssignOffsetAndEpoch(batch, 1000, 3);
        var offsets = new List<long>();
        var timestamps = new List<long>();
        var reader = new RecordBatchReader(batch);
        foreach (Record record in reader)
        {
            offsets.Add(reader.OffsetOf(record));
            timestamps.Add(reader.TimestampOf(record));
        }
        Assert.Equal([1000, 1001, 1002, 1003, 1004], offsets);
        Assert.Equal(FixtureMessages.All.Select(r => r.TimestampMs), timestamps);

        batch[RecordBatchDescriptor.AttributesOffset + 1] |= (byte)RecordBatchDescriptor.TimestampTypeMask;
        var logAppend = new RecordBatchReader(batch);
        Assert.True(logAppend.TryReadNext(out Record first));
        Assert.Equal(FixtureMessages.MaxTimestampMs, logAppend.TimestampOf(first));
    }

    [Theory]
    [InlineData(CompressionCodec.None)]
    [InlineData(CompressionCodec.Gzip)]
    [InlineData(CompressionCodec.Snappy)]
    [InlineData(CompressionCodec.Lz4)]
    [InlineData(CompressionCodec.Zstd)]
    public void Read_RandomlyDamagedBatches_OnlyEverThrowCorruptRecord(CompressionCodec codec)
    {
        // Goal: no input makes the reader fail with anything but CorruptRecordException (never IndexOutOfRange,
        // ArgumentOutOfRange, overflow …). Method: 3,000 seeded mutations (byte flips, insertions, truncations) of a
        // client batch's payload, each re-signed so that the reader, not the CRC, meets the damage.
        byte[] original = ConfluentFixtureTests.ReadFixture(codec);
        var random = new Random(20_240_601 + (int)codec);
        using var decompressor = new RecordDecompressor(maxDecompressedBytes: 1 << 20);
        int rejected = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] damaged = Damage(original, random);
            try
            {
                ReadAll(damaged, decompressor);
            }
            catch (CorruptRecordException)
            {
                rejected++;
            }
        }
        Assert.True(rejected > 1000, $"only {rejected} of 3000 damaged batches were rejected");
    }

    private static byte[] Damage(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int payloadLength = bytes.Count - RecordBatchDescriptor.HeaderSize;
            int position = RecordBatchDescriptor.HeaderSize + random.Next(Math.Max(payloadLength, 1));
            switch (random.Next(4))
            {
                case 0 when position < bytes.Count:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when position < bytes.Count:
                    bytes[position] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(Math.Min(position, bytes.Count), (byte)random.Next(256));
                    break;
                default:
                    bytes.RemoveRange(Math.Min(position, bytes.Count), bytes.Count - Math.Min(position, bytes.Count));
                    break;
            }
        }
        byte[] damaged = [.. bytes];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(
            damaged.AsSpan(RecordBatchDescriptor.BatchLengthOffset), damaged.Length - RecordBatchDescriptor.LogOverhead);
        RecordBatchValidatorTests.Resign(damaged);
        return damaged;
    }

    internal static int ReadAll(byte[] batch, RecordDecompressor? decompressor)
    {
        var reader = new RecordBatchReader(batch, decompressor);
        int count = 0;
        while (reader.TryReadNext(out Record record))
        {
            foreach (RecordHeader header in record.Headers)
            {
                count += header.Key.Length;
            }
            count++;
        }
        return count;
    }
}
