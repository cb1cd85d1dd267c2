using System;
using System.IO;
using System.Text.Json;
using FastMQ.Diag.Attach;
using FastMQ.Diag.Metrics;
using FastMQ.Diag.Runtime;

namespace FastMQ.Diag.Commands;

/// <summary>
/// One JSON object per interval (JSON Lines): {"pid","tick","timestampUtc","intervalSeconds","cpuPercent",
/// "allocatedBytesPerSecond","gc":{"gen0":{"count","pauseTotalMs","pauseMaxMs"},…},"metrics":[{"meter",
/// "instrument","unit","tags","kind","rate","value","quantiles","count"}]}. Rates are per interval as published.
/// </summary>
internal static class CountersJson
{
    public static string Line(int pid, RuntimeSnapshot snapshot, TimeSpan interval)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("pid", pid);
            w.WriteNumber("tick", snapshot.Tick);
            w.WriteString("timestampUtc", snapshot.TimestampUtc);
            w.WriteNumber("intervalSeconds", interval.TotalSeconds);
            WriteNullable(w, "cpuPercent", snapshot.RateSum(DiagProviders.RuntimeMeter, "dotnet.process.cpu.time") / interval.TotalSeconds * 100);
            WriteNullable(w, "allocatedBytesPerSecond",
                snapshot.RateSum(DiagProviders.RuntimeMeter, "dotnet.gc.heap.total_allocated") / interval.TotalSeconds);
            w.WriteStartObject("gc");
            for (int gen = 0; gen <= 2; gen++)
            {
                GcGenerationStats s = snapshot.Gc.Generation(gen);
                w.WriteStartObject("gen" + gen);
                w.WriteNumber("count", s.Count);
                w.WriteNumber("pauseTotalMs", s.PauseTotalMs);
                w.WriteNumber("pauseMaxMs", s.PauseMaxMs);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("metrics");
            foreach (MetricValue m in snapshot.Metrics)
            {
                w.WriteStartObject();
                w.WriteString("meter", m.Meter);
                w.WriteString("instrument", m.Instrument);
                w.WriteString("unit", m.Unit);
                w.WriteString("tags", m.Tags);
                w.WriteString("kind", m.Kind.ToString());
                WriteNullable(w, "rate", m.Rate);
                WriteNullable(w, "value", m.Value);
                if (m.Kind == MetricKind.Histogram)
                {
                    w.WriteString("quantiles", m.Quantiles);
                    w.WriteNumber("count", m.Count);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
