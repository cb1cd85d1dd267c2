using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace FastMQ.PerfHarness;

/// <summary>
/// The FastMQ vs Redis Streams vs NATS JetStream table of perf/compare.sh: medians of the repeated runs, and per peer
/// FastMQ's advantage as a factor (throughput: FastMQ ÷ peer; latency: peer ÷ FastMQ; above 1 = FastMQ better).
/// </summary>
internal static class RatioTable
{
    /// <summary>The figures compare.sh produces: result label (without the -rN repeat suffix) per system.</summary>
    private static readonly (string Figure, string FastMQ, string Redis, string Nats, string Field, bool HigherIsBetter)[] Figures =
    [
        ("produce 1 KiB (msg/s)", "produce-1k-none", "xadd-1k", "nats-produce-1k", "rate", true),
        ("produce 100 B (msg/s)", "produce-100b-none", "xadd-100b", "nats-produce-100b", "rate", true),
        ("consume 1 KiB (msg/s)", "consume-1k", "redis-consume-1k", "nats-consume-1k", "rate", true),
        ("e2e 20k msg/s 1 KiB p50 (ms)", "e2e-20k-1k", "redis-e2e-20k-1k", "nats-e2e-20k-1k", "P50Ms", false),
        ("e2e 20k msg/s 1 KiB p99 (ms)", "e2e-20k-1k", "redis-e2e-20k-1k", "nats-e2e-20k-1k", "P99Ms", false),
        ("e2e 20k msg/s 1 KiB p99.9 (ms)", "e2e-20k-1k", "redis-e2e-20k-1k", "nats-e2e-20k-1k", "P999Ms", false),
    ];

    /// <summary>FastMQ's advantage over a peer (above 1 = FastMQ better); null when either side is missing or zero.</summary>
    public static double? Advantage(double? fastmq, double? peer, bool higherIsBetter)
    {
        if (fastmq is not double f || peer is not double p || f <= 0 || p <= 0)
        {
            return null;
        }
        return higherIsBetter ? f / p : p / f;
    }

    public static double? Median(IReadOnlyList<double>? values)
    {
        if (values is null || values.Count == 0)
        {
            return null;
        }
        var sorted = new List<double>(values);
        sorted.Sort();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Markdown lines of the table.</summary>
    public static List<string> Format(IReadOnlyList<RatioRow> rows)
    {
        var lines = new List<string>
        {
            "| figure (median of runs) | FastMQ | Redis Streams | NATS JetStream | FastMQ advantage vs Redis | vs NATS |",
            "| --- | --- | --- | --- | --- | --- |",
        };
        foreach (RatioRow r in rows)
        {
            lines.Add($"| {r.Figure} | {Value(r.FastMQ)} | {Value(r.Redis)} | {Value(r.Nats)} | {Factor(Advantage(r.FastMQ, r.Redis, r.HigherIsBetter))} | {Factor(Advantage(r.FastMQ, r.Nats, r.HigherIsBetter))} |");
        }
        lines.Add("");
        lines.Add("Advantage: throughput FastMQ ÷ peer, latency peer ÷ FastMQ; above 1.00× = FastMQ better. \"-\" = not measured.");
        return lines;
    }

    /// <summary>Builds the rows from per-label run values (label without the -rN suffix → values of the runs).</summary>
    public static List<RatioRow> Rows(IReadOnlyDictionary<string, List<double>> runs)
    {
        var rows = new List<RatioRow>();
        foreach (var f in Figures)
        {
            double? Get(string label) => Median(runs.TryGetValue(label + "|" + f.Field, out List<double>? v) ? v : null);
            rows.Add(new RatioRow(f.Figure, Get(f.FastMQ), Get(f.Redis), Get(f.Nats), f.HigherIsBetter));
        }
        return rows;
    }

    /// <summary>Reads every result JSON under <paramref name="dir"/> and redis/summary.csv; prints the table. Exit code 0/2.</summary>
    public static int PrintForDirectory(string dir)
    {
        if (!Directory.Exists(dir))
        {
            Console.Error.WriteLine($"fastmq-perf ratio-table: {dir} is not a directory");
            return 2;
        }
        var text = new StringBuilder();
        foreach (string line in Format(Rows(Collect(dir))))
        {
            text.AppendLine(line);
        }
        Console.Write(text.ToString());
        return 0;
    }

    /// <summary>
    /// Run values by "label-without-repeat|field" from a compare.sh directory: "rate" (msg/s) from every result JSON and
    /// from redis/summary.csv (XADD/s), and "P50Ms"/"P99Ms"/"P999Ms" from the e2e results (CO-corrected).
    /// </summary>
    public static Dictionary<string, List<double>> Collect(string dir)
    {
        var runs = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string label, string field, double v)
        {
            string key = StripRepeat(label) + "|" + field;
            if (!runs.TryGetValue(key, out List<double>? list))
            {
                runs[key] = list = [];
            }
            list.Add(v);
        }
        foreach (string path in Directory.EnumerateFiles(dir, "*.json", SearchOption.AllDirectories))
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            if (!root.TryGetProperty("Label", out JsonElement label) || !root.TryGetProperty("Outcome", out JsonElement outcome))
            {
                continue;
            }
            double messages = outcome.GetProperty("Messages").GetDouble();
            double elapsed = outcome.GetProperty("ElapsedS").GetDouble();
            if (elapsed > 0)
            {
                Add(label.GetString()!, "rate", messages / elapsed);
            }
            if (outcome.TryGetProperty("E2eFromIntended", out JsonElement e2e) && e2e.ValueKind == JsonValueKind.Object)
            {
                foreach (string field in new[] { "P50Ms", "P99Ms", "P999Ms" })
                {
                    Add(label.GetString()!, field, e2e.GetProperty(field).GetDouble());
                }
            }
        }
        string csv = Path.Combine(dir, "redis", "summary.csv");
        if (File.Exists(csv))
        {
            foreach (string line in File.ReadLines(csv))
            {
                string[] f = line.Split(',');
                if (f.Length >= 5 && double.TryParse(f[4], NumberStyles.Float, CultureInfo.InvariantCulture, out double rps))
                {
                    Add(f[0], "rate", rps);
                }
            }
        }
        return runs;
    }

    /// <summary>"produce-1k-none-r2" → "produce-1k-none".</summary>
    public static string StripRepeat(string label)
    {
        int i = label.LastIndexOf("-r", StringComparison.Ordinal);
        return i > 0 && i + 2 < label.Length && int.TryParse(label.AsSpan(i + 2), NumberStyles.None, CultureInfo.InvariantCulture, out _) ? label[..i] : label;
    }

    private static string Value(double? v) => v is double d ? d >= 100 ? d.ToString("N0", CultureInfo.InvariantCulture) : d.ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static string Factor(double? v) => v is double d ? d.ToString("F2", CultureInfo.InvariantCulture) + "×" : "-";
}
