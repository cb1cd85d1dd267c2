using System;
using System.Diagnostics;
using FastMQ.Benchmarks.Client;
using FastMQ.Protocol.Records;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Client;

public class ProducerAllocationBudgetTests
{
    // Goal: the loop ProducerBenchmarks measures (encode a record into the open batch, seal full batches with CRC and
    // compression, report deliveries, recycle) allocates 0 bytes per record once warm. Method: warm up in windows of
    // 20,000 records until one window allocates nothing (JIT tiering and pool growth finish), then count this thread's
    // allocated bytes over 500,000 records with a header each. The driver is single-threaded, so the per-thread
    // counter sees everything it does.
    [Theory]
    [InlineData(100, CompressionCodec.None)]
    [InlineData(1024, CompressionCodec.None)]
    [InlineData(100, CompressionCodec.Lz4)]
    [InlineData(100, CompressionCodec.Zstd)]
    public void Produce_InSteadyState_AllocatesZeroBytes(int valueBytes, CompressionCodec codec)
    {
        using var driver = new ProducerAppendDriver(valueBytes, withHeader: true, codec);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            driver.Produce(20_000);
            long window = GC.GetAllocatedBytesForCurrentThread() - before;
            if ((window == 0 && sw.Elapsed > TimeSpan.FromSeconds(0.5)) || sw.Elapsed > TimeSpan.FromSeconds(6))
            {
                break;
            }
        }
        long start = GC.GetAllocatedBytesForCurrentThread();
        long delivered = driver.Delivered;
        driver.Produce(500_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - start;
        Assert.True(driver.Delivered - delivered > 400_000, $"only {driver.Delivered - delivered} records were sealed and reported");
        Assert.Equal(0, allocated);
    }
}
