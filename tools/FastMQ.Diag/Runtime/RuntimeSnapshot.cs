using System;
using System.Collections.Generic;
using FastMQ.Diag.Metrics;

namespace FastMQ.Diag.Runtime;

/// <summary>
/// What a <see cref="RuntimeMonitor"/> knew after metrics interval <see cref="Tick"/>: the last value of every time
/// series seen so far (ordered by key) and the GC totals since the session started.
/// </summary>
public sealed record RuntimeSnapshot(DateTime TimestampUtc, long Tick, IReadOnlyList<MetricValue> Metrics, GcTotals Gc)
{
    /// <summary>Sum over all tag sets of the cumulative value of an observable counter, or null if never published.</summary>
    public double? CumulativeSum(string meter, string instrument)
    {
        double? sum = null;
        foreach (MetricValue m in Metrics)
        {
            if (m.Value is double v && m.Meter == meter && m.Instrument == instrument)
            {
                sum = (sum ?? 0) + v;
            }
        }
        return sum;
    }

    /// <summary>Sum over all tag sets of the last interval's rate of a counter, or null if never published.</summary>
    public double? RateSum(string meter, string instrument)
    {
        double? sum = null;
        foreach (MetricValue m in Metrics)
        {
            if (m.Rate is double r && m.Meter == meter && m.Instrument == instrument)
            {
                sum = (sum ?? 0) + r;
            }
        }
        return sum;
    }
}
