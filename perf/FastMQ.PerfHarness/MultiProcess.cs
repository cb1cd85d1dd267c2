using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace FastMQ.PerfHarness;

/// <summary>
/// <c>--processes N</c> for produce and sustain: one .NET Confluent.Kafka producer process is itself a bottleneck on
/// small messages, so the parent (which started the broker and created the topic) runs N copies of this harness as
/// workers, each with its share of <c>--producers</c>, all starting their schedules at one wall-clock time. Each worker
/// writes a <see cref="WorkerResult"/>; the parent sums the counts and per-second series and merges the histograms.
/// </summary>
internal static class MultiProcess
{
    /// <summary>Options the parent keeps to itself (the workers get the broker address and topic instead).</summary>
    private static readonly HashSet<string> ParentOnly = new(StringComparer.Ordinal)
    {
        "--processes", "--out", "--server-dll", "--broker-arg", "--broker-pid", "--bootstrap-server", "--topic", "--label", "--trace-s",
    };
    private static readonly HashSet<string> ParentOnlyFlags = new(StringComparer.Ordinal) { "--diag", "--no-plot" };

    /// <summary>Producers of worker <paramref name="index"/> of <paramref name="workers"/>, and the index of its first one.</summary>
    public static (int First, int Count) Share(int producers, int workers, int index)
    {
        int baseCount = producers / workers;
        int extra = producers % workers;
        int count = baseCount + (index < extra ? 1 : 0);
        int first = index * baseCount + Math.Min(index, extra);
        return (first, count);
    }

    /// <summary>Stopwatch ticks for a wall-clock time in Unix milliseconds (both clocks read once, here).</summary>
    public static long TicksAt(long unixMs)
    {
        long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long nowTicks = Stopwatch.GetTimestamp();
        return nowTicks + (unixMs - nowMs) * Stopwatch.Frequency / 1000;
    }

    /// <summary>Runs the workers and merges what they measured; <paramref name="latency"/> receives the merged histograms.</summary>
    public static ScenarioOutcome Run(HarnessOptions o, string[] args, string bootstrap, MeasurementWindow window, LatencyRecorder latency)
    {
        string dir = Path.Combine(Path.GetTempPath(), "fastmq-perf-workers-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        long startAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 3000;
        var procs = new List<Process>();
        string self = typeof(MultiProcess).Assembly.Location;
        for (int w = 0; w < o.Processes; w++)
        {
            var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false };
            psi.ArgumentList.Add(self);
            for (int i = 0; i < args.Length; i++)
            {
                if (ParentOnlyFlags.Contains(args[i]))
                {
                    continue;
                }
                if (ParentOnly.Contains(args[i]))
                {
                    i++;
                    continue;
                }
                psi.ArgumentList.Add(args[i]);
            }
            foreach (string a in new[] { "--bootstrap-server", bootstrap, "--topic", o.Topic, "--processes", o.Processes.ToString(CultureInfo.InvariantCulture),
                "--worker", w.ToString(CultureInfo.InvariantCulture), "--start-at-unix-ms", startAt.ToString(CultureInfo.InvariantCulture),
                "--out", Path.Combine(dir, "w" + w.ToString(CultureInfo.InvariantCulture)), "--no-plot" })
            {
                psi.ArgumentList.Add(a);
            }
            procs.Add(Process.Start(psi) ?? throw new InvalidOperationException("could not start a worker process"));
        }
        Console.WriteLine($"started {o.Processes} worker processes (pids {string.Join(", ", procs.ConvertAll(p => p.Id))}); schedules start at unix ms {startAt}");
        // The measured window: from the end of the warm-up (sustain) or the common start (produce) to the last worker's end.
        double warm = o.Scenario == "sustain" ? o.WarmupS : 0;
        FixedRateSchedule.WaitUntil(TicksAt(startAt + (long)(warm * 1000)));
        window.Begin();
        var outcome = new ScenarioOutcome();
        var perSecond = new List<double>();
        var bytesPerSecond = new List<double>();
        long scheduled = 0;
        for (int w = 0; w < procs.Count; w++)
        {
            procs[w].WaitForExit();
            string file = Path.Combine(dir, "w" + w.ToString(CultureInfo.InvariantCulture), "worker.json");
            if (!File.Exists(file))
            {
                outcome.Errors++;
                outcome.FirstError = $"worker {w} exited with {procs[w].ExitCode} and no result";
                continue;
            }
            WorkerResult r = JsonSerializer.Deserialize<WorkerResult>(File.ReadAllText(file))!;
            outcome.Messages += r.Messages;
            outcome.Bytes += r.Bytes;
            outcome.Sent += r.Sent;
            outcome.Errors += r.Errors;
            scheduled += r.Scheduled;
            window.WorkerCpuS += r.CpuS;
            if (outcome.FirstError.Length == 0)
            {
                outcome.FirstError = r.FirstError;
            }
            Sum(perSecond, r.PerSecond);
            Sum(bytesPerSecond, r.BytesPerSecond);
            WorkerResult.AddPairs(latency.Intended, r.Intended);
            WorkerResult.AddPairs(latency.Sent, r.SentLatency);
            WorkerResult.AddPairs(latency.PacingLag, r.PacingLag);
        }
        outcome.ElapsedS = window.End();
        foreach (Process p in procs)
        {
            p.Dispose();
        }
        Directory.Delete(dir, recursive: true);
        outcome.PerSecond = perSecond;
        outcome.BytesPerSecond = bytesPerSecond;
        if (o.Scenario == "sustain")
        {
            outcome.Scheduled = scheduled;
            outcome.TargetRatePerS = o.TargetMBps * 1e6 / o.Sizes.MeanBytes;
            outcome.Sustain = SustainVerdict.Compute(bytesPerSecond, o.TargetMBps, o.WarmupS, o.DurationS);
            outcome.ProduceFromIntended = LatencySummary.From(latency.Intended);
            outcome.PacingLag = LatencySummary.From(latency.PacingLag);
        }
        outcome.ProduceFromSent = LatencySummary.From(latency.Sent);
        return outcome;
    }

    /// <summary>Worker side: writes what the parent merges.</summary>
    public static void WriteWorkerResult(HarnessOptions o, ScenarioOutcome outcome, LatencyRecorder latency)
    {
        Directory.CreateDirectory(o.OutDir);
        using Process self = Process.GetCurrentProcess();
        var r = new WorkerResult
        {
            Messages = outcome.Messages,
            Bytes = outcome.Bytes,
            Sent = outcome.Sent,
            Scheduled = outcome.Scheduled,
            Errors = outcome.Errors,
            FirstError = outcome.FirstError,
            CpuS = self.TotalProcessorTime.TotalSeconds,
            PerSecond = [.. outcome.PerSecond],
            BytesPerSecond = [.. outcome.BytesPerSecond],
            Intended = WorkerResult.Pairs(latency.Intended),
            SentLatency = WorkerResult.Pairs(latency.Sent),
            PacingLag = WorkerResult.Pairs(latency.PacingLag),
        };
        File.WriteAllText(Path.Combine(o.OutDir, "worker.json"), JsonSerializer.Serialize(r));
    }

    /// <summary>Adds <paramref name="add"/> into <paramref name="into"/> element by element, growing it as needed.</summary>
    public static void Sum(List<double> into, IReadOnlyList<double> add)
    {
        for (int i = 0; i < add.Count; i++)
        {
            if (i < into.Count)
            {
                into[i] += add[i];
            }
            else
            {
                into.Add(add[i]);
            }
        }
    }
}
