namespace FastMQ.Diag.Metrics;

/// <summary>How an instrument's values are published by the System.Diagnostics.Metrics event source.</summary>
public enum MetricKind
{
    /// <summary>Counter or ObservableCounter: a rate per interval and, for observable ones, the cumulative value.</summary>
    Counter,

    /// <summary>UpDownCounter or ObservableUpDownCounter: a rate per interval and the current value.</summary>
    UpDownCounter,

    /// <summary>Gauge or ObservableGauge: the last value.</summary>
    Gauge,

    /// <summary>Histogram: quantiles, count and sum over the interval.</summary>
    Histogram,
}
