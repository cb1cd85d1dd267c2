using HdrHistogram;

namespace FastMQ.PerfHarness;

/// <summary>Percentiles of one latency histogram, in milliseconds.</summary>
internal sealed class LatencySummary
{
    public long Count { get; init; }
    public double P50Ms { get; init; }
    public double P90Ms { get; init; }
    public double P99Ms { get; init; }
    public double P999Ms { get; init; }
    public double MaxMs { get; init; }
    public double MeanMs { get; init; }

    public static LatencySummary From(HistogramBase h) => h.TotalCount == 0
        ? new LatencySummary()
        : new LatencySummary
        {
            Count = h.TotalCount,
            P50Ms = h.GetValueAtPercentile(50) / 1000.0,
            P90Ms = h.GetValueAtPercentile(90) / 1000.0,
            P99Ms = h.GetValueAtPercentile(99) / 1000.0,
            P999Ms = h.GetValueAtPercentile(99.9) / 1000.0,
            MaxMs = h.GetMaxValue() / 1000.0,
            MeanMs = h.GetMean() / 1000.0,
        };
}
