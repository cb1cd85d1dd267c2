using System;
using System.Collections.Generic;
using System.IO;
using FastMQ.PerfHarness;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Harness;

public sealed class RatioTableTests
{
    [Fact]
    public void AdvantageIsThroughputOverPeerAndPeerLatencyOverFastMQ()
    {
        // Goal: "above 1 = FastMQ better" for both kinds of figure. Method: throughput and latency cases, missing values.
        Assert.Equal(2.0, RatioTable.Advantage(200_000, 100_000, higherIsBetter: true));
        Assert.Equal(4.0, RatioTable.Advantage(0.5, 2.0, higherIsBetter: false));
        Assert.Null(RatioTable.Advantage(1, null, true));
        Assert.Null(RatioTable.Advantage(0, 5, true));
    }

    [Fact]
    public void MedianOfOddAndEvenCounts()
    {
        // Goal: repeated runs are summarised by their median. Method: odd, even and empty lists.
        Assert.Equal(3.0, RatioTable.Median([5, 1, 3]));
        Assert.Equal(2.5, RatioTable.Median([4, 1, 2, 3]));
        Assert.Null(RatioTable.Median([]));
    }

    [Theory]
    [InlineData("produce-1k-none-r2", "produce-1k-none")]
    [InlineData("nats-e2e-20k-1k-r10", "nats-e2e-20k-1k")]
    [InlineData("xadd-1k", "xadd-1k")]
    [InlineData("run-rx", "run-rx")]
    public void RepeatSuffixIsStripped(string label, string expected)
    {
        // Goal: runs of one figure group together. Method: labels with and without a -rN suffix.
        Assert.Equal(expected, RatioTable.StripRepeat(label));
    }

    [Fact]
    public void TableFromACompareDirectoryUsesMediansOfEverySystem()
    {
        // Goal: the compare.sh table is computed from its real output files. Method: write result JSONs and the Redis CSV
        // into a temp directory as compare.sh lays them out, then check the rows and the formatted ratios.
        string dir = Path.Combine(Path.GetTempPath(), "fastmq-ratio-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "fastmq"));
            Directory.CreateDirectory(Path.Combine(dir, "nats"));
            Directory.CreateDirectory(Path.Combine(dir, "redis"));
            WriteRun(Path.Combine(dir, "fastmq", "a.json"), "produce-1k-none-r1", 3_000_000, 10, null);
            WriteRun(Path.Combine(dir, "fastmq", "b.json"), "produce-1k-none-r2", 4_000_000, 10, null);
            WriteRun(Path.Combine(dir, "fastmq", "c.json"), "e2e-20k-1k-r1", 200_000, 10, (1.0, 2.0, 4.0));
            WriteRun(Path.Combine(dir, "nats", "d.json"), "nats-produce-1k-r1", 500_000, 10, null);
            WriteRun(Path.Combine(dir, "nats", "e.json"), "nats-e2e-20k-1k-r1", 200_000, 10, (2.0, 8.0, 10.0));
            File.WriteAllLines(Path.Combine(dir, "redis", "summary.csv"),
            [
                "label,size_bytes,requests,stream_length,xadd_per_s,server_cpu_s",
                "xadd-1k-r1,1024,800000,800000,100000.00,3.1",
                "xadd-1k-r2,1024,800000,800000,200000.00,3.0",
            ]);
            List<RatioRow> rows = RatioTable.Rows(RatioTable.Collect(dir));
            RatioRow produce = rows.Find(r => r.Figure.StartsWith("produce 1 KiB", StringComparison.Ordinal))!;
            Assert.Equal(350_000, produce.FastMQ);
            Assert.Equal(150_000, produce.Redis);
            Assert.Equal(50_000, produce.Nats);
            RatioRow p99 = rows.Find(r => r.Figure.Contains("p99 (ms)", StringComparison.Ordinal))!;
            Assert.Equal(2.0, p99.FastMQ);
            Assert.Null(p99.Redis);
            Assert.Equal(8.0, p99.Nats);
            List<string> text = RatioTable.Format(rows);
            Assert.Contains(text, l => l.StartsWith("| produce 1 KiB (msg/s) | 350,000 | 150,000 | 50,000 | 2.33× | 7.00× |", StringComparison.Ordinal));
            Assert.Contains(text, l => l.StartsWith("| e2e 20k msg/s 1 KiB p99 (ms) | 2.00 | - | 8.00 | - | 4.00× |", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void WriteRun(string path, string label, long messages, double elapsedS, (double P50, double P99, double P999)? e2e)
    {
        string latency = e2e is { } l
            ? $"{{\"P50Ms\":{l.P50},\"P99Ms\":{l.P99},\"P999Ms\":{l.P999}}}"
            : "null";
        File.WriteAllText(path, $"{{\"Label\":\"{label}\",\"Outcome\":{{\"Messages\":{messages},\"ElapsedS\":{elapsedS},\"E2eFromIntended\":{latency}}}}}");
    }
}
