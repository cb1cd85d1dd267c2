using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using FastMQ.Protocol.Records;
using FastMQ.Protocol.Tests.Capture;
using FastMQ.Tests.Shared;
using Xunit;

namespace FastMQ.Protocol.Tests.Records;

/// <summary>
/// Golden RecordBatch fixtures captured from Confluent.Kafka 2.16 (bundled librdkafka 2.16.0), one per codec,
/// and a live capture that repeats the production on every run. Regenerate the files with
/// <c>FASTMQ_WRITE_FIXTURES=1 dotnet test … --filter LiveCapture</c> (see Fixtures/README.md).
/// </summary>
public sealed class ConfluentFixtureTests
{
    public static TheoryData<CompressionCodec> Codecs =>
        [CompressionCodec.None, CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4, CompressionCodec.Zstd];

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task LiveCapture_ConfluentProducer_DecodesToTheProducedRecords(CompressionCodec codec)
    {
        // Goal: FastMQ decodes what a real client sends today. Method: produce the fixture records with Confluent.Kafka
        // into a loopback fake broker, decode the captured batch, compare with what was produced and with the fixture.
        string version = BundledLibrdkafka.EnsureLoaded();
        Assert.StartsWith("2.16.", version, StringComparison.Ordinal);

        byte[] batch = await ConfluentCapture.CaptureAsync(codec);

        AssertBatchFields(batch, codec);
        List<DecodedRecord> live = DecodedRecord.DecodeAll(batch);
        DecodedRecord.AssertMatches(FixtureMessages.All, live);
        if (Environment.GetEnvironmentVariable("FASTMQ_WRITE_FIXTURES") == "1")
        {
            File.WriteAllBytes(Path.Combine(SourceFixtureDirectory(), FixtureName(codec)), batch);
        }
        byte[] fixture = ReadFixture(codec);
        DecodedRecord.AssertSame(DecodedRecord.DecodeAll(fixture), live, compareTimestamps: true);
        if (codec == CompressionCodec.None)
        {
            // The uncompressed encoding is canonical (timestamps are fixed), so the bytes themselves must not drift.
            Assert.Equal(Convert.ToHexString(fixture), Convert.ToHexString(batch));
        }
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Golden_Fixture_IsValidAndDecodesToTheProducedRecords(CompressionCodec codec)
    {
        // Goal: the checked-in client bytes pass validation and decode exactly. Method: validate CRC and header,
        // check the codec bits, decode every record and compare keys, values, headers and timestamps.
        byte[] batch = ReadFixture(codec);

        Assert.Equal(BatchValidation.Valid, RecordBatchValidator.Validate(batch, out int totalSize));
        Assert.Equal(batch.Length, totalSize);
        AssertBatchFields(batch, codec);
        DecodedRecord.AssertMatches(FixtureMessages.All, DecodedRecord.DecodeAll(batch));
    }

    [Fact]
    public void Golden_UncompressedFixture_IsReproducedByteForByteByTheBuilder()
    {
        // Goal: FastMQ's builder writes exactly what librdkafka writes. Method: append the fixture records with the
        // fixture's batch fields and compare the sealed batch with the captured bytes.
        byte[] fixture = ReadFixture(CompressionCodec.None);
        var header = new RecordBatchHeader(fixture);
        using var builder = new RecordBatchBuilder();
        builder.Reset(new RecordBatchOptions
        {
            Compression = CompressionCodec.None,
            ProducerId = header.ProducerId,
            ProducerEpoch = header.ProducerEpoch,
            BaseSequence = header.BaseSequence,
            BaseOffset = header.BaseOffset,
            PartitionLeaderEpoch = header.PartitionLeaderEpoch,
        });
        RecordBatchTestData.AppendAll(builder, FixtureMessages.All);

        byte[] built = new byte[builder.Seal()];
        Assert.True(builder.TryWriteTo(built, out _));

        Assert.Equal(Convert.ToHexString(fixture), Convert.ToHexString(built));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Golden_BuilderBatch_DecodesLikeTheFixture(CompressionCodec codec)
    {
        // Goal: batches FastMQ builds carry the same content as the client's. Method: build the fixture records
        // with the same codec, validate, decode both and compare record by record.
        using var builder = new RecordBatchBuilder();
        builder.Reset(new RecordBatchOptions { Compression = codec });
        RecordBatchTestData.AppendAll(builder, FixtureMessages.All);
        byte[] built = new byte[builder.Seal()];
        Assert.True(builder.TryWriteTo(built, out _));

        Assert.Equal(BatchValidation.Valid, RecordBatchValidator.Validate(built, out _));
        AssertBatchFields(built, codec);
        DecodedRecord.AssertSame(DecodedRecord.DecodeAll(ReadFixture(codec)), DecodedRecord.DecodeAll(built), compareTimestamps: true);
    }

    private static void AssertBatchFields(byte[] batch, CompressionCodec codec)
    {
        Assert.Equal(BatchValidation.Valid, RecordBatchValidator.Validate(batch, out int size));
        Assert.Equal(batch.Length, size);
        var header = new RecordBatchHeader(batch);
        Assert.Equal(codec, header.Compression);
        Assert.Equal(0, header.BaseOffset);
        Assert.Equal(2, header.Magic);
        Assert.False(header.IsTransactional);
        Assert.False(header.IsControl);
        Assert.False(header.IsLogAppendTime);
        Assert.Equal(FixtureMessages.All.Count, header.RecordsCount);
        Assert.Equal(FixtureMessages.All.Count - 1, header.LastOffsetDelta);
        Assert.Equal(FixtureMessages.BaseTimestampMs, header.BaseTimestamp);
        Assert.Equal(FixtureMessages.MaxTimestampMs, header.MaxTimestamp);
        Assert.Equal(-1, header.ProducerId);
        Assert.Equal(-1, header.ProducerEpoch);
        Assert.Equal(-1, header.BaseSequence);
    }

    internal static string FixtureName(CompressionCodec codec) => $"confluent-2.16.0-{codec.ToString().ToLowerInvariant()}.bin";

    internal static byte[] ReadFixture(CompressionCodec codec) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", FixtureName(codec)));

    private static string SourceFixtureDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(thisFile))!, "Fixtures");
}
