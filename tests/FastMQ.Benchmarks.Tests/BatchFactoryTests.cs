using System;
using FastMQ.Benchmarks.Storage;
using FastMQ.Protocol.Records;
using Xunit;

namespace FastMQ.Benchmarks.Tests;

public class BatchFactoryTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(256)]
    public void Build_FillsTheRequestedSizeWithValidOneKiBRecords(int batchKiB)
    {
        // Goal: benchmark batches are valid RecordBatch v2 of 1 KiB records, as large as fits and no larger.
        // Method: build, validate header and CRC, read the records back and check sizes and count.
        int limit = batchKiB * 1024;
        BenchBatch batch = BatchFactory.Build(limit);

        Assert.Equal(BatchValidation.Valid, RecordBatchValidator.Validate(batch.Bytes, out int size));
        Assert.Equal(batch.Bytes.Length, size);
        Assert.True(size <= limit, $"{size} > {limit}");
        // One more record (1024-byte value plus a few bytes of framing) would not have fit.
        Assert.True(size + BatchFactory.RecordValueBytes > limit, $"{size} leaves room for another record");
        Assert.Equal(batch.RecordCount, new RecordBatchHeader(batch.Bytes).RecordsCount);

        var reader = new RecordBatchReader(batch.Bytes);
        int seen = 0;
        while (reader.TryReadNext(out FastMQ.Protocol.Records.Record record))
        {
            Assert.True(record.IsKeyNull);
            Assert.Equal(BatchFactory.RecordValueBytes, record.Value.Length);
            seen++;
        }
        Assert.Equal(batch.RecordCount, seen);
    }

    [Fact]
    public void Repeat_TilesThePatternAndCutsTheLastCopy()
    {
        // Goal: raw-baseline chunks hold the same bytes as the log writes. Method: tile a 3-byte pattern into 8 bytes.
        byte[] destination = new byte[8];
        BatchFactory.Repeat([1, 2, 3], destination);
        Assert.Equal(new byte[] { 1, 2, 3, 1, 2, 3, 1, 2 }, destination);
        Assert.Throws<ArgumentException>(() => BatchFactory.Repeat([], destination));
    }
}
