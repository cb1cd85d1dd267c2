using System;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Records;
using Xunit;
using Record = FastMQ.Protocol.Records.Record;

namespace FastMQ.Protocol.Tests.Records;

/// <summary>
/// Steady-state allocation checks for the hot paths: building, sealing, copying out and reading batches.
/// GC.GetAllocatedBytesForCurrentThread counts every managed allocation of this thread, so a zero delta means the
/// builder, compressor, decompressor and reader allocate nothing per batch or per record once warmed up.
/// </summary>
public sealed class AllocationTests
{
    private const int Batches = 10_000;
    private const int RecordsPerBatch = 10;

    [Theory]
    [InlineData(CompressionCodec.None)]
    [InlineData(CompressionCodec.Lz4)]
    [InlineData(CompressionCodec.Zstd)]
    public void BuildAndRead_SteadyState_AllocatesNothing(CompressionCodec codec)
    {
        // Goal: zero allocations per batch and per record for the codecs whose libraries allow it (none, lz4 over
        // K4os' block codec, zstd over ZstdSharp's reused contexts). Method: warm up, then build, write out and
        // read 10,000 batches of 10 records with headers and compare the thread's allocation counter.
        using var builder = new RecordBatchBuilder();
        using var decompressor = new RecordDecompressor();
        byte[] destination = new byte[64 * 1024];
        byte[] value = new byte[200];
        new Random(3).NextBytes(value.AsSpan(0, 100));

        long checksum = Run(builder, decompressor, destination, value, codec, 500);
        long before = GC.GetAllocatedBytesForCurrentThread();
        checksum += Run(builder, decompressor, destination, value, codec, Batches);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal((Batches + 500L) * RecordsPerBatch * (value.Length + 1), checksum); // every record was read
    }

    [Fact]
    public void BuildAndRead_Snappy_AllocatesOnlySnappiersSmallObjects()
    {
        // Goal: document and bound the one allocation we do not control: Snappier creates a small helper object per
        // compress and per decompress call (measured 48 and 80 bytes), independent of record count and size.
        // Method: as above with snappy; allow at most 256 bytes per batch, i.e. per one compress plus one decompress.
        using var builder = new RecordBatchBuilder();
        using var decompressor = new RecordDecompressor();
        byte[] destination = new byte[64 * 1024];
        byte[] value = new byte[200];

        Run(builder, decompressor, destination, value, CompressionCodec.Snappy, 500);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(builder, decompressor, destination, value, CompressionCodec.Snappy, Batches);
        long perBatch = (GC.GetAllocatedBytesForCurrentThread() - before) / Batches;

        Assert.InRange(perBatch, 0, 256);
    }

    private static long Run(
        RecordBatchBuilder builder, RecordDecompressor decompressor, byte[] destination, byte[] value, CompressionCodec codec, int batches)
    {
        var options = new RecordBatchOptions { Compression = codec };
        long checksum = 0;
        for (int b = 0; b < batches; b++)
        {
            builder.Reset(options);
            for (int r = 0; r < RecordsPerBatch; r++)
            {
                builder.BeginRecord(1_700_000_000_000 + r, "key"u8, value);
                builder.AddHeader("h"u8, "v"u8);
                builder.EndRecord();
            }
            if (!builder.TryWriteTo(destination, out int size))
            {
                throw new InvalidOperationException("destination too small");
            }
            var reader = new RecordBatchReader(destination.AsSpan(0, size), decompressor);
            while (reader.TryReadNext(out Record record))
            {
                checksum += record.Value.Length + record.HeaderCount;
            }
        }
        return checksum;
    }
}
