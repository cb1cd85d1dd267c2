using System;
using System.Globalization;
using Microsoft.Diagnostics.Tracing;

namespace FastMQ.Diag.Metrics;

/// <summary>
/// Turns the events of the <c>System.Diagnostics.Metrics</c> event source (as read by TraceEvent from an EventPipe
/// stream) into <see cref="MetricValue"/>s. Works for any meter and instrument: nothing here knows metric names.
/// </summary>
public static class MetricsEventDecoder
{
    /// <summary>Name of the event source that publishes System.Diagnostics.Metrics instruments out of process.</summary>
    public const string ProviderName = "System.Diagnostics.Metrics";

    /// <summary>
    /// True for the event closing one refresh interval (every value of that interval was published before it).
    /// TraceEvent names it "Collection/Stop" (task/opcode) when read from EventPipe, "CollectionStop" elsewhere.
    /// </summary>
    public static bool IsCollectionStop(TraceEvent data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.EventName is "Collection/Stop" or "CollectionStop";
    }

    /// <summary>Decodes a value event; false for any other event (interval markers, errors, instrument listings).</summary>
    public static bool TryDecode(TraceEvent data, out MetricValue value)
    {
        ArgumentNullException.ThrowIfNull(data);
        value = null!;
        MetricKind kind;
        switch (data.EventName)
        {
            case "CounterRateValuePublished":
                kind = MetricKind.Counter;
                break;
            case "UpDownCounterRateValuePublished":
                kind = MetricKind.UpDownCounter;
                break;
            case "GaugeValuePublished":
                kind = MetricKind.Gauge;
                break;
            case "HistogramValuePublished":
                kind = MetricKind.Histogram;
                break;
            default:
                return false;
        }
        string meter = Text(data, "meterName");
        string instrument = Text(data, "instrumentName");
        string unit = Text(data, "unit");
        string tags = Text(data, "tags");
        value = kind switch
        {
            MetricKind.Gauge => new MetricValue(meter, instrument, unit, tags, kind, null, Number(data, "lastValue"), "", 0),
            MetricKind.Histogram => new MetricValue(meter, instrument, unit, tags, kind, null, Number(data, "sum"),
                Text(data, "quantiles"), (long)(Number(data, "count") ?? 0)),
            _ => new MetricValue(meter, instrument, unit, tags, kind, Number(data, "rate"), Number(data, "value"), "", 0),
        };
        return true;
    }

    /// <summary>The error text when <paramref name="data"/> reports that the metrics session failed, else null.</summary>
    public static string? SessionError(TraceEvent data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.EventName switch
        {
            "Error" => "metrics session error in the target: " + Text(data, "errorMessage"),
            "MultipleSessionsNotSupportedError" =>
                "another tool holds the target's metrics session (" + Text(data, "runningSessionId") + ")",
            "MultipleSessionsConfiguredIncorrectlyError" =>
                "another tool reads the target's metrics with a different interval or limits; use the same --interval",
            _ => null,
        };
    }

    private static string Text(TraceEvent data, string field) => data.PayloadByName(field) switch
    {
        null => "",
        string s => s,
        object o => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "",
    };

    private static double? Number(TraceEvent data, string field)
    {
        object? raw = data.PayloadByName(field);
        return raw switch
        {
            null => null,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
            string => null,
            IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
