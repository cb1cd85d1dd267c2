using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using Spectre.Console;

namespace FastMQ.PerfHarness;

/// <summary>Prints the summary table and writes the JSON result file.</summary>
internal static class ResultWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string WriteJson(RunResult r, string outDir, string stem)
    {
        Directory.CreateDirectory(outDir);
        string path = Path.Combine(outDir, stem + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(r, Json));
        return path;
    }

    public static void PrintSummary(RunResult r)
    {
        ScenarioOutcome o = r.Outcome;
        var table = new Table().Title($"fastmq-perf {r.Scenario} {r.Label}".TrimEnd()).AddColumn("measure").AddColumn("value");
        void Row(string k, string v) => table.AddRow(Markup.Escape(k), Markup.Escape(v));
        Row("durability", r.Durability.ToString());
        Row("workload", string.Create(CultureInfo.InvariantCulture,
            $"{r.MessageSize}, keys {(r.Keys == 0 ? "null" : r.Keys.ToString("N0", CultureInfo.InvariantCulture))}, client {r.Client}, {r.Partitions} partitions, compression {r.Compression}, linger {r.LingerMs} ms, batch {r.BatchSizeBytes} B, {r.Producers} producer(s), {r.Consumers} consumer(s)"));
        if (o.TargetRatePerS > 0)
        {
            Row("target rate", string.Create(CultureInfo.InvariantCulture, $"{o.TargetRatePerS:N0} msg/s"));
        }
        if (o.PreloadedMessages > 0)
        {
            Row("preloaded", string.Create(CultureInfo.InvariantCulture, $"{o.PreloadedMessages:N0} msgs (not measured)"));
        }
        Row("messages", string.Create(CultureInfo.InvariantCulture, $"{o.Messages:N0} in {o.ElapsedS:F2} s"));
        Row("throughput", string.Create(CultureInfo.InvariantCulture, $"{o.MsgsPerS:N0} msg/s, {o.MiBPerS:N1} MiB/s"));
        Row("errors", o.Errors == 0 ? "0" : $"{o.Errors} (first: {o.FirstError})");
        if (o.Missing > 0)
        {
            Row("missing", $"{o.Missing} delivered but never consumed");
        }
        if (o.Sustain is { } v)
        {
            Row("sustain verdict", v.ToString());
            Row("sent / scheduled", string.Create(CultureInfo.InvariantCulture, $"{o.Sent:N0} / {o.Scheduled:N0} messages"));
        }
        if (o.ProduceFromIntended is { } pi)
        {
            Row("produce latency from intended (CO-corrected)", Lat(pi));
        }
        if (o.ProduceFromSent is { } ps)
        {
            Row("produce latency from send call", Lat(ps));
        }
        if (r.Diag is { } d)
        {
            Row("broker runtime (diag)", d.ToString());
        }
        if (r.Trace is { } tr)
        {
            Row("broker CPU trace", tr.ToString());
        }
        if (o.E2eFromIntended is { } c)
        {
            Row("e2e from intended (CO-corrected)", Lat(c));
        }
        if (o.E2eFromSent is { } s)
        {
            Row("e2e from send call", Lat(s));
        }
        if (o.PacingLag is { } p)
        {
            Row("harness pacing lag", Lat(p));
        }
        Row("CPU (100 % = 1 core)", string.Create(CultureInfo.InvariantCulture,
            $"broker {r.BrokerCpuPercent:F0} %, harness {r.HarnessCpuPercent:F0} %, {r.Machine.Cores} cores; loadavg {r.Machine.LoadAvgStart} -> {r.Machine.LoadAvgEnd}"));
        if (r.BrokerThreads.Count > 0)
        {
            var top = new System.Text.StringBuilder();
            for (int i = 0; i < Math.Min(6, r.BrokerThreads.Count); i++)
            {
                top.Append(CultureInfo.InvariantCulture, $"{r.BrokerThreads[i].Name} {r.BrokerThreads[i].CpuPercent:F0} %; ");
            }
            Row("broker busiest threads", top.ToString().TrimEnd(' ', ';'));
        }
        if (Console.IsOutputRedirected)
        {
            // Logs and pipes: wide enough that a row stays on one line.
            AnsiConsole.Profile.Width = 160;
        }
        AnsiConsole.Write(table);
    }

    private static string Lat(LatencySummary l) => string.Create(CultureInfo.InvariantCulture,
        $"p50 {l.P50Ms:F3}  p99 {l.P99Ms:F3}  p99.9 {l.P999Ms:F3}  max {l.MaxMs:F3} ms  (n={l.Count:N0})");
}
