using System;

namespace FastMQ.Diag.Metrics;

/// <summary>
/// One time series of one instrument (meter + instrument + tags) as last published.
/// <see cref="Rate"/> is the change over the last interval (per interval, not per second) for counters;
/// <see cref="Value"/> is the cumulative value for observable counters, the current value for up-down counters,
/// the last value for gauges and the sum for histograms; <see cref="Quantiles"/> is "0.5=…;0.95=…;0.99=…" for
/// histograms.
/// </summary>
public sealed record MetricValue(
    string Meter,
    string Instrument,
    string Unit,
    string Tags,
    MetricKind Kind,
    double? Rate,
    double? Value,
    string Quantiles,
    long Count)
{
    /// <summary>Key of the time series: meter, instrument and tags.</summary>
    public string Key => Meter + "/" + Instrument + "[" + Tags + "]";

    /// <summary>The value of tag <paramref name="name"/> in <see cref="Tags"/> ("a=x,b=y"), or null.</summary>
    public string? Tag(string name)
    {
        foreach (string pair in Tags.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && pair.AsSpan(0, eq).Trim().SequenceEqual(name))
            {
                return pair[(eq + 1)..].Trim();
            }
        }
        return null;
    }
}
