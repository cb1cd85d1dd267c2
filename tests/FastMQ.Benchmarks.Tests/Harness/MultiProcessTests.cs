using System.Collections.Generic;
using FastMQ.PerfHarness;
using HdrHistogram;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Harness;

public sealed class MultiProcessTests
{
    [Theory]
    [InlineData(8, 3)]
    [InlineData(4, 4)]
    [InlineData(7, 2)]
    public void ProducersAreSharedOutWithoutGapsOrOverlap(int producers, int workers)
    {
        // Goal: every producer index runs in exactly one worker. Method: concatenate the workers' ranges.
        int next = 0;
        for (int w = 0; w < workers; w++)
        {
            (int first, int count) = MultiProcess.Share(producers, workers, w);
            Assert.Equal(next, first);
            Assert.True(count >= producers / workers && count <= producers / workers + 1);
            next += count;
        }
        Assert.Equal(producers, next);
    }

    [Fact]
    public void PerSecondSeriesAreSummedElementwise()
    {
        // Goal: workers' series add up second by second, the longest one setting the length. Method: two series.
        var into = new List<double> { 1, 2 };
        MultiProcess.Sum(into, [10, 20, 30]);
        Assert.Equal([11, 22, 30], into);
    }

    [Fact]
    public void HistogramPairsRoundTripExactly()
    {
        // Goal: merging workers' histograms loses nothing. Method: record values, export pairs, import into a new
        // histogram twice (two workers), compare counts and percentiles with recording everything in one.
        var a = new LongHistogram(1, 60_000_000, 3);
        var all = new LongHistogram(1, 60_000_000, 3);
        for (long v = 1; v < 200_000; v += 7)
        {
            a.RecordValue(v);
            all.RecordValue(v);
            all.RecordValue(v);
        }
        var merged = new LongHistogram(1, 60_000_000, 3);
        List<long[]> pairs = WorkerResult.Pairs(a);
        WorkerResult.AddPairs(merged, pairs);
        WorkerResult.AddPairs(merged, pairs);
        Assert.Equal(all.TotalCount, merged.TotalCount);
        Assert.Equal(all.GetValueAtPercentile(99), merged.GetValueAtPercentile(99));
        Assert.Equal(all.GetValueAtPercentile(50), merged.GetValueAtPercentile(50));
        Assert.Equal(all.GetMaxValue(), merged.GetMaxValue());
    }
}
