using FastMQ.Broker.Metrics;
using Xunit;

namespace FastMQ.IntegrationTests.Metrics;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Buckets_AreContiguousAndAtMostAQuarterWide()
    {
        // Goal: the fixed log-linear layout is consistent (every bound maps into its own bucket and the next value
        // into the next) and precise to 25 %. Method: walk every bucket bound; record known values and read them back.
        LatencyHistogram.AssertLayout();
        for (int i = 9; i < LatencyHistogram.BucketCount - 1; i++)
        {
            long lower = LatencyHistogram.UpperBoundMicros[i - 1];
            long upper = LatencyHistogram.UpperBoundMicros[i];
            Assert.True(upper - lower <= lower / 4, $"bucket {i} [{lower}, {upper}) µs is wider than 25 %");
        }
        var h = new LatencyHistogram();
        h.Record(999);              // < 1 µs
        h.Record(10_000);           // 10 µs: [10, 12)
        h.Record(1_000_000);        // 1 ms: [896, 1024) µs
        h.Record(1_000_000_000_000); // 1000 s: the overflow bucket
        Assert.Equal(1, h.BucketCountAt(0));
        Assert.Equal(1, h.BucketCountAt(LatencyHistogram.BucketOf(10)));
        Assert.Equal(12, LatencyHistogram.UpperBoundMicros[LatencyHistogram.BucketOf(10)]);
        Assert.Equal(1024, LatencyHistogram.UpperBoundMicros[LatencyHistogram.BucketOf(1000)]);
        Assert.Equal(1, h.BucketCountAt(LatencyHistogram.BucketCount - 1));
        Assert.Equal(4, h.Count);
        Assert.Equal(999 + 10_000 + 1_000_000 + 1_000_000_000_000, h.SumNs);
    }
}
