using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using FastMQ.Diag.Trace;
using Microsoft.Diagnostics.Tracing.Etlx;
using Xunit;

namespace FastMQ.Diag.Tests;

public class CliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Counters_Json_ReportsAllocationRateGcCountsAndBrokerInstruments()
    {
        // Goal: `counters` streams real runtime and FastMQ.Broker values. Method: run the CLI for 4 s against the
        // allocating target and parse its JSON lines.
        using var target = new TargetApp();
        (int exit, string stdout, string stderr) = DiagCli.Run(Timeout, "counters", "--pid", target.Pid.ToString(), "--duration", "4", "--output", "json");

        Assert.True(exit == 0, stderr);
        List<JsonElement> lines = [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.True(lines.Count >= 2, stdout);
        JsonElement last = lines[^1];
        Assert.Equal(target.Pid, last.GetProperty("pid").GetInt32());
        // From the second interval on, rates exist: allocation is non-zero, CPU too.
        Assert.Contains(lines, l => l.GetProperty("allocatedBytesPerSecond").ValueKind == JsonValueKind.Number
            && l.GetProperty("allocatedBytesPerSecond").GetDouble() > 1_000_000);
        Assert.True(last.GetProperty("cpuPercent").GetDouble() > 0, last.ToString());
        Assert.True(last.GetProperty("gc").GetProperty("gen0").GetProperty("count").GetInt64() > 0, last.ToString());
        JsonElement[] metrics = [.. last.GetProperty("metrics").EnumerateArray()];
        Assert.Contains(metrics, m => m.GetProperty("meter").GetString() == "FastMQ.Broker"
            && m.GetProperty("instrument").GetString() == TargetApp.LoopInstrument && m.GetProperty("value").GetDouble() > 0);
        Assert.Contains(metrics, m => m.GetProperty("instrument").GetString() == "dotnet.gc.collections"
            && m.GetProperty("tags").GetString() == "gc.heap.generation=gen0" && m.GetProperty("value").GetDouble() > 0);
        Assert.Contains(metrics, m => m.GetProperty("instrument").GetString() == "dotnet.thread_pool.thread.count");
        Assert.Contains(metrics, m => m.GetProperty("instrument").GetString() == "dotnet.monitor.lock_contentions");
    }

    [Fact]
    public void Counters_Table_ShowsGcAndMeterTables()
    {
        // Goal: the live view renders. Method: 2.5 s of the table view, captured; look for its sections.
        using var target = new TargetApp();
        (int exit, string stdout, string stderr) = DiagCli.Run(Timeout, "counters", "--pid", target.Pid.ToString(), "--duration", "2.5");
        Assert.True(exit == 0, stderr);
        Assert.Contains("GC since attach", stdout, StringComparison.Ordinal);
        Assert.Contains("FastMQ.Broker", stdout, StringComparison.Ordinal);
        Assert.Contains("System.Runtime", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_WritesNettraceWithCpuSamplesOfTheTargetsCode()
    {
        // Goal: `trace` records a usable CPU trace. Method: trace the spinning target for 3 s, then open the file with
        // TraceEvent: it must hold samples, and resolved stacks must show the target's busy method.
        using var target = new TargetApp();
        string path = Path.Combine(Path.GetTempPath(), $"fastmq-diag-test-{Guid.NewGuid():N}.nettrace");
        try
        {
            (int exit, string stdout, string stderr) = DiagCli.Run(Timeout, "trace", "--pid", target.Pid.ToString(), "--duration", "3", "--out", path);
            Assert.True(exit == 0, stderr);
            Assert.Contains("dotnet-trace convert --format Speedscope", stdout, StringComparison.Ordinal);
            TraceFileSummary summary = TraceRecorder.Summarize(path);
            Assert.True(summary.Bytes > 10_000 && summary.CpuSamples > 100, summary.ToString());
            // The console wraps long lines at spaces; compare with whitespace collapsed.
            string text = Regex.Replace(stdout, @"\s+", " ");
            Assert.Contains($"{summary.CpuSamples:N0} CPU samples", text, StringComparison.Ordinal);
            Assert.True(StackFrames(path).Any(f => f.Contains("Program.Spin", StringComparison.Ordinal)), "no sample in Program.Spin");
        }
        finally
        {
            File.Delete(path);
            // TraceLog converts next to the input: x.nettrace → x.nettrace.etlx.
            File.Delete(path + ".etlx");
        }
    }

    [Fact]
    public void GcHeap_ReportsGenerationsAndExactRetainedObjects()
    {
        // Goal: `gc-heap` walks the real heap. Method: the target keeps exactly 20,000 RetainedItem objects alive;
        // the JSON report must count exactly that many, with plausible generation sizes.
        using var target = new TargetApp();
        (int exit, string stdout, string stderr) = DiagCli.Run(Timeout, "gc-heap", "--pid", target.Pid.ToString(), "--output", "json", "--top", "50");

        Assert.True(exit == 0, stderr);
        JsonElement report = JsonDocument.Parse(stdout).RootElement;
        Assert.True(report.GetProperty("gcNumber").GetInt32() > 0);
        long total = report.GetProperty("totalHeapBytes").GetInt64();
        long live = report.GetProperty("liveBytes").GetInt64();
        Assert.InRange(total, 640_000, 1L << 30);
        // Not bounded by total: the walk also reports frozen (non-GC) objects such as string literals.
        Assert.True(live >= 640_000, report.ToString());
        JsonElement[] generations = [.. report.GetProperty("generations").EnumerateArray()];
        Assert.Equal(["gen0", "gen1", "gen2", "loh", "poh"], generations.Select(g => g.GetProperty("generation").GetString()));
        // After a blocking gen2 GC the long-lived items sit in gen2.
        Assert.True(generations[2].GetProperty("sizeBytes").GetInt64() >= 640_000, report.ToString());
        Assert.Equal(total, generations.Sum(g => g.GetProperty("sizeBytes").GetInt64()));
        JsonElement retained = report.GetProperty("topTypes").EnumerateArray()
            .Single(t => t.GetProperty("type").GetString() == TargetApp.RetainedTypeName);
        Assert.Equal(TargetApp.RetainedCount, retained.GetProperty("objects").GetInt64());
        // Object header + method table + int + reference, padded: 32 bytes each on 64-bit.
        Assert.Equal(TargetApp.RetainedCount * 32L, retained.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public void UnknownPid_GivesClearErrorAndExitCode2()
    {
        // Goal: a wrong pid is reported, not crashed on. Method: every command against a pid no process has.
        int pid = RuntimeProbeTests.UnusedPid();
        foreach (string[] args in new[] { new[] { "counters", "--duration", "1" }, ["trace", "--duration", "1"], ["gc-heap"] })
        {
            (int exit, string _, string stderr) = DiagCli.Run(Timeout, [.. args, "--pid", pid.ToString()]);
            Assert.Equal(2, exit);
            Assert.Contains($"no process with id {pid} is running", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NonDotnetProcess_GivesClearErrorAndExitCode2()
    {
        // Goal: attaching to a process without a .NET diagnostics endpoint says so. Method: a `sleep` child process.
        using Process sleep = Process.Start("sleep", "30");
        try
        {
            (int exit, string _, string stderr) = DiagCli.Run(Timeout, "counters", "--pid", sleep.Id.ToString(), "--duration", "1");
            Assert.Equal(2, exit);
            Assert.Contains($"process {sleep.Id} (sleep) has no .NET diagnostics endpoint", stderr, StringComparison.Ordinal);
        }
        finally
        {
            sleep.Kill();
        }
    }

    [Fact]
    public void StaleEndpointFile_OfANonDotnetProcess_GivesClearErrorAndExitCode2()
    {
        // Goal: a diagnostics socket file left by a killed .NET process whose pid now belongs to a non-.NET process (pid
        // reuse; the suite kills many brokers) is not mistaken for an endpoint. Method: a `sleep` child and a file
        // named like its endpoint in the temp directory, where the runtime would publish one.
        using Process sleep = Process.Start("sleep", "30");
        string stale = Path.Combine(Path.GetTempPath(), $"dotnet-diagnostic-{sleep.Id}-1-socket");
        File.WriteAllText(stale, "");
        try
        {
            (int exit, string _, string stderr) = DiagCli.Run(Timeout, "counters", "--pid", sleep.Id.ToString(), "--duration", "1");
            Assert.Equal(2, exit);
            Assert.Contains($"process {sleep.Id} (sleep) has no .NET diagnostics endpoint", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(stale);
            sleep.Kill();
        }
    }

    [Fact]
    public void MissingPid_IsAUsageError()
    {
        // Goal: usage mistakes exit 1 with a message. Method: counters without --pid; an unknown --output.
        (int exit, string _, string stderr) = DiagCli.Run(Timeout, "counters");
        Assert.Equal(1, exit);
        Assert.Contains("--pid is required", stderr, StringComparison.Ordinal);
        (exit, _, stderr) = DiagCli.Run(Timeout, "gc-heap", "--pid", "1", "--output", "xml");
        Assert.Equal(1, exit);
        Assert.Contains("unknown --output 'xml'", stderr, StringComparison.Ordinal);
    }

    private static List<string> StackFrames(string nettrace)
    {
        string etlx = TraceLog.CreateFromEventPipeDataFile(nettrace);
        Assert.Equal(nettrace + ".etlx", etlx);
        var frames = new List<string>();
        using var log = new TraceLog(etlx);
        foreach (Microsoft.Diagnostics.Tracing.TraceEvent e in log.Events)
        {
            if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler")
            {
                continue;
            }
            for (TraceCallStack? frame = e.CallStack(); frame is not null; frame = frame.Caller)
            {
                frames.Add(frame.CodeAddress.FullMethodName);
            }
        }
        return frames;
    }
}
