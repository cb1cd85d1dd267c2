using System;
using FastMQ.Benchmarks.Client;
using FastMQ.Protocol.Records;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Client;

public class ConsumerAllocationBudgetTests
{
    [Theory]
    [InlineData(100, CompressionCodec.None)]
    [InlineData(1024, CompressionCodec.None)]
    [InlineData(100, CompressionCodec.Lz4)]
    [InlineData(100, CompressionCodec.Zstd)]
    public void ConsumeHotPath_InSteadyState_AllocatesZeroBytes(int valueBytes, CompressionCodec codec)
    {
        // Goal: the benchmarked consume loop (publish a pooled frame, read every record, release the frame) allocates
        // nothing once warm. Method: warm up, then count this thread's allocated bytes over 200 frames of 10,000
        // records and check every record was read (the checksum) so the budget is not met by reading nothing.
        using var driver = new ConsumerReadDriver(valueBytes, 10_000, codec);
        long expected = driver.ReadFrame();
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(expected, driver.ReadFrame());
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (int i = 0; i < 200; i++)
        {
            sum += driver.ReadFrame();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(expected * 200, sum);
        // offsets 0..9999, the first value byte cycles 0..99 per batch, every value has valueBytes bytes.
        Assert.Equal((10_000L * 9_999 / 2) + (100L * (99 * 100 / 2)) + (10_000L * valueBytes), expected);
    }
}
