using System;
using System.Collections.Generic;
using System.Text;
using FastMQ.Protocol.Records;
using FastMQ.Protocol.Tests.Capture;
using Xunit;

namespace FastMQ.Protocol.Tests.Records;

public sealed class RecordBatchBuilderTests
{
    public static TheoryData<CompressionCodec> Codecs => ConfluentFixtureTests.Codecs;

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Build_ManyVariedRecords_RoundTrips(CompressionCodec codec)
    {
        // Goal: whatever is appended comes back identically, for every codec, across several LZ4 blocks and long
        // length prefixes. Method: 600 seeded records (null/empty/large keys and values, 0–70 headers, timestamps
        // going back and forth), build, validate, decode, compare.
        List<ExpectedRecord> records = RandomRecords(new Random(42), 600);
        using var builder = new RecordBatchBuilder();
        builder.Reset(new RecordBatchOptions { Compression = codec });
        RecordBatchTestData.AppendAll(builder, records);

        byte[] batch = Seal(builder);

        Assert.Equal(BatchValidation.Valid, RecordBatchValidator.Validate(batch, out _));
        var header = new RecordBatchHeader(batch);
        Assert.Equal(codec, header.Compression);
        Assert.Equal(600, header.RecordsCount);
        Assert.Equal(records[0].TimestampMs, header.BaseTimestamp);
        Assert.Equal(MaxTimestamp(records), header.MaxTimestamp);
        DecodedRecord.AssertMatches(records, DecodedRecord.DecodeAll(batch));
    }

    [Fact]
    public void Build_BatchFields_AreWrittenAsGiven()
    {
        // Goal: the producer fields, transactional bit, base offset and epoch land in the header. Method: set them
        // all, seal, read the header back.
        using var builder = new RecordBatchBuilder();
        builder.Reset(new RecordBatchOptions
        {
            ProducerId = 77,
            ProducerEpoch = 3,
            BaseSequence = 1000,
            IsTransactional = true,
            BaseOffset = 5,
            PartitionLeaderEpoch = 9,
        });
        builder.Append(10, "a"u8, "b"u8);
        builder.Append(9, "c"u8, "d"u8);

        var header = new RecordBatchHeader(Seal(builder));

        Assert.Equal(77, header.ProducerId);
        Assert.Equal(3, header.ProducerEpoch);
        Assert.Equal(1000, header.BaseSequence);
        Assert.True(header.IsTransactional);
        Assert.Equal(5, header.BaseOffset);
        Assert.Equal(9, header.PartitionLeaderEpoch);
        Assert.Equal(1, header.LastOffsetDelta);
        Assert.Equal(10, header.BaseTimestamp);
        Assert.Equal(10, header.MaxTimestamp);
    }

    [Fact]
    public void Build_HeaderPushesLengthPastVarintBoundary_StaysCorrect()
    {
        // Goal: the length prefix grows when headers push a record past 63 / 8191 bytes (the reservation covered
        // only key and value). Method: records whose body without headers sits just below each boundary, plus one
        // header; decode and compare.
        var records = new List<ExpectedRecord>();
        foreach (int valueLength in new[] { 50, 55, 60, 8170, 8180, 8185 })
        {
            records.Add(new ExpectedRecord(1, null, new byte[valueLength], [("h", new byte[20])]));
        }
        using var builder = new RecordBatchBuilder();
        RecordBatchTestData.AppendAll(builder, records);

        DecodedRecord.AssertMatches(records, DecodedRecord.DecodeAll(Seal(builder)));
    }

    [Fact]
    public void Reset_ReusesTheBuilder_ForIndependentBatches()
    {
        // Goal: a builder is reusable; nothing leaks from one batch into the next. Method: build a large batch,
        // reset, build a small one with another codec, compare with a fresh builder's bytes.
        using var reused = new RecordBatchBuilder();
        RecordBatchTestData.AppendAll(reused, RandomRecords(new Random(1), 200));
        Seal(reused);
        reused.Reset(new RecordBatchOptions { Compression = CompressionCodec.Lz4 });
        RecordBatchTestData.AppendAll(reused, FixtureMessages.All);

        using var fresh = new RecordBatchBuilder();
        fresh.Reset(new RecordBatchOptions { Compression = CompressionCodec.Lz4 });
        RecordBatchTestData.AppendAll(fresh, FixtureMessages.All);

        Assert.Equal(Seal(fresh), Seal(reused));
    }

    [Fact]
    public void Build_Lz4_ReproducesTheClientBytes()
    {
        // Goal: our LZ4 frame is byte-identical to librdkafka's (same frame flags, same block compressor). Method:
        // build the fixture records with lz4 and compare with the Confluent capture.
        using var builder = new RecordBatchBuilder();
        builder.Reset(new RecordBatchOptions { Compression = CompressionCodec.Lz4 });
        RecordBatchTestData.AppendAll(builder, FixtureMessages.All);

        Assert.Equal(
            Convert.ToHexString(ConfluentFixtureTests.ReadFixture(CompressionCodec.Lz4)),
            Convert.ToHexString(Seal(builder)));
    }

    [Fact]
    public void TryWriteTo_SmallDestination_ReturnsFalseAndWritesNothing()
    {
        // Goal: a too-small caller buffer is reported, not overrun. Method: destination one byte short, then exact.
        using var builder = new RecordBatchBuilder();
        builder.Append(1, "k"u8, "v"u8);
        int size = builder.Seal();
        byte[] small = new byte[size - 1];

        Assert.False(builder.TryWriteTo(small, out int written));
        Assert.Equal(0, written);
        Assert.All(small, b => Assert.Equal(0, b));
        Assert.True(builder.TryWriteTo(new byte[size], out written));
        Assert.Equal(size, written);
    }

    [Fact]
    public void Misuse_ThrowsInvalidOperation()
    {
        // Goal: calls out of order fail loudly instead of writing a broken batch. Method: each misuse in turn.
        using var builder = new RecordBatchBuilder();
        Assert.Throws<InvalidOperationException>(() => builder.Seal());
        Assert.Throws<InvalidOperationException>(() => builder.AddHeader("h"u8, "v"u8));
        Assert.Throws<InvalidOperationException>(() => builder.EndRecord());
        builder.BeginRecord(1, "k"u8, "v"u8);
        Assert.Throws<InvalidOperationException>(() => builder.BeginRecord(1, "k"u8, "v"u8));
        Assert.Throws<InvalidOperationException>(() => builder.Seal());
        builder.EndRecord();
        builder.Seal();
        Assert.Throws<InvalidOperationException>(() => builder.Append(1, "k"u8, "v"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Reset(new RecordBatchOptions { Compression = (CompressionCodec)5 }));
    }

    [Fact]
    public void RecordBytes_TellsNullFromEmpty()
    {
        // Goal: the conversions keep Kafka's null/empty distinction. Method: each conversion's WireLength.
        Assert.Equal(-1, RecordBytes.Null.WireLength);
        Assert.Equal(-1, default(RecordBytes).WireLength);
        Assert.Equal(-1, ((RecordBytes)(byte[]?)null).WireLength);
        Assert.Equal(0, ((RecordBytes)Array.Empty<byte>()).WireLength);
        Assert.Equal(0, ((RecordBytes)ReadOnlySpan<byte>.Empty).WireLength);
        Assert.Equal(3, ((RecordBytes)"abc"u8).WireLength);
    }

    internal static byte[] Seal(RecordBatchBuilder builder)
    {
        byte[] batch = new byte[builder.Seal()];
        Assert.True(builder.TryWriteTo(batch, out int written));
        Assert.Equal(batch.Length, written);
        return batch;
    }

    private static long MaxTimestamp(List<ExpectedRecord> records)
    {
        long max = long.MinValue;
        foreach (ExpectedRecord r in records)
        {
            max = Math.Max(max, r.TimestampMs);
        }
        return max;
    }

    internal static List<ExpectedRecord> RandomRecords(Random random, int count)
    {
        var records = new List<ExpectedRecord>(count);
        long timestamp = 1_700_000_000_000;
        for (int i = 0; i < count; i++)
        {
            timestamp += random.Next(-50, 100);
            var headers = new List<(string, byte[]?)>();
            int headerCount = i % 97 == 0 ? 70 : random.Next(0, 4);
            for (int h = 0; h < headerCount; h++)
            {
                headers.Add(($"header-{h}", random.Next(5) == 0 ? null : Bytes(random, random.Next(0, 40))));
            }
            records.Add(new ExpectedRecord(timestamp, NullOrBytes(random, 30), NullOrBytes(random, i % 50 == 0 ? 20_000 : 300), headers));
        }
        return records;
    }

    private static byte[]? NullOrBytes(Random random, int maxLength) =>
        random.Next(6) switch
        {
            0 => null,
            1 => [],
            _ => Bytes(random, random.Next(1, maxLength)),
        };

    /// <summary>Half random, half repetitive text, so that compression has work to do.</summary>
    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        byte[] text = Encoding.ASCII.GetBytes("fastmq record payload ");
        for (int i = 0; i < length; i++)
        {
            bytes[i] = i % 2 == 0 ? text[i % text.Length] : (byte)random.Next(256);
        }
        return bytes;
    }
}
