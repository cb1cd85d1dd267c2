using FastMQ.Benchmarks.Micro;
using FastMQ.Core;
using FastMQ.Storage;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Micro;

/// <summary>
/// The allocation budget of every Micro benchmark is 0 B per operation in steady state: each test sets up the very
/// benchmark class BenchmarkDotNet runs, calls its operation many times and checks this thread's allocated bytes,
/// and that the operation did its real work (so the budget is not met by doing nothing).
/// </summary>
public class MicroAllocationBudgetTests
{
    private const int Calls = 5000;

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    public void FrameParse_ProduceRequest_AllocatesZeroBytes(int partitions)
    {
        // Goal: parsing a Produce frame (header, body, batch headers) allocates nothing. Method: many parses of a real
        // v9 request built by the client-side writer; the sum of partition indexes proves every partition was read.
        var bench = new FrameParseBenchmarks { Partitions = partitions };
        bench.Setup();
        (long allocated, _) = SteadyState.Measure(bench.ProduceRequest, Calls);
        Assert.Equal(0, allocated);
        long once = bench.ProduceRequest();
        // magic 2, no compression, producer id -1 per partition; plus partition indexes, topic name and acks 1.
        long expected = 1 + RequestFrames.TopicName.Length + (partitions * (2 + 0 - 1)) + ((long)partitions * (partitions - 1) / 2);
        Assert.Equal(expected, once);
        (allocated, long headerSum) = SteadyState.Measure(() => bench.RequestHeader(), Calls);
        Assert.Equal(0, allocated);
        Assert.True(headerSum > 0);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(16 * 1024)]
    [InlineData(256 * 1024)]
    public void BatchValidation_AllocatesZeroBytes(int batchBytes)
    {
        // Goal: CRC-32C and batch validation allocate nothing. Method: many validations of a real batch; each must
        // report the batch valid with its full size, and the CRC must match the one stored in the batch.
        var bench = new BatchValidationBenchmarks { BatchBytes = batchBytes };
        bench.Setup();
        (long allocated, long sizes) = SteadyState.Measure(() => bench.Validate(), Calls);
        Assert.Equal(0, allocated);
        int size = bench.Validate();
        Assert.InRange(size, batchBytes / 2, batchBytes);
        Assert.Equal((long)size * Calls, sizes);
        (allocated, _) = SteadyState.Measure(() => bench.Crc(), Calls);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void IndexLookup_AllocatesZeroBytes()
    {
        // Goal: locating an offset (segment, sparse index, header scan) allocates nothing, on file and tail cache.
        // Method: a real 12 MiB log on disk; many random lookups, each checked to return the batch holding the offset.
        var bench = new IndexLookupBenchmarks();
        bench.Setup();
        try
        {
            Assert.True(bench.Log.SegmentCount >= 3, $"{bench.Log.SegmentCount} segments");
            (long allocated, long sum) = SteadyState.Measure(bench.FileSegment, Calls);
            Assert.Equal(0, allocated);
            Assert.True(sum > 0);
            (allocated, sum) = SteadyState.Measure(bench.TailCache, Calls);
            Assert.Equal(0, allocated);
            Assert.True(sum > 0);
            Assert.Equal(LogReadStatus.OffsetOutOfRange, bench.Log.TryRead(new Offset(bench.Log.LogEndOffset.Value + 1), 1, bench.Log.LogEndOffset, out _));
        }
        finally
        {
            bench.Dispose();
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    public void FetchAssembly_AllocatesZeroBytes(int copiedPartitions)
    {
        // Goal: assembling a Fetch response (parse, pooled frame, headers, copies or file parts) allocates nothing.
        // Method: many assemblies; every response must carry all 12 partitions' record bytes (buffer + file parts).
        var bench = new FetchAssemblyBenchmarks { CopiedPartitions = copiedPartitions };
        bench.Setup();
        (long allocated, long total) = SteadyState.Measure(bench.Assemble, Calls);
        Assert.Equal(0, allocated);
        long one = bench.Assemble();
        Assert.True(one > FetchAssemblyBenchmarks.Partitions * (long)(FetchAssemblyBenchmarks.RecordsBytes / 2), $"{one} bytes");
        Assert.Equal(one * Calls, total);
    }
}
