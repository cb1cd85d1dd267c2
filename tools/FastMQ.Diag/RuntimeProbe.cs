using System;
using System.Collections.Generic;
using FastMQ.Diag.Attach;
using FastMQ.Diag.Runtime;

namespace FastMQ.Diag;

/// <summary>
/// Measures a running .NET process (typically the broker) over a window: allocated bytes, GCs per generation, GC
/// pauses and CPU. <see cref="Start"/> attaches through the diagnostics endpoint and returns once the first metrics
/// interval has arrived (the baseline, ~1 s); <see cref="Stop"/> waits for one more interval (≤ 1 interval + a
/// little), ends the session and returns the deltas. One probe per window; the target is not otherwise disturbed
/// (no induced GC). Not thread-safe: call Start/Stop from one thread. Safe to run beside fastmq-diag counters with
/// the same interval.
/// </summary>
public sealed class RuntimeProbe : IDisposable
{
    private const string CpuTime = "dotnet.process.cpu.time";
    private const string TotalAllocated = "dotnet.gc.heap.total_allocated";

    private readonly RuntimeMonitor _monitor;
    private readonly RuntimeProbeOptions _options;
    private readonly RuntimeSnapshot _baseline;
    private RuntimeProbeSummary? _summary;

    private RuntimeProbe(RuntimeMonitor monitor, RuntimeProbeOptions options, RuntimeSnapshot baseline)
    {
        _monitor = monitor;
        _options = options;
        _baseline = baseline;
    }

    /// <summary>
    /// Attaches to <paramref name="processId"/> and takes the baseline. Throws <see cref="DiagTargetException"/>
    /// when the process does not exist, cannot be attached, or sends no metrics within the start timeout.
    /// </summary>
    public static RuntimeProbe Start(int processId, RuntimeProbeOptions? options = null)
    {
        options ??= new RuntimeProbeOptions();
        var meters = new List<string> { DiagProviders.RuntimeMeter };
        meters.AddRange(options.ExtraMeters);
        RuntimeMonitor monitor = RuntimeMonitor.Start(processId, options.Interval, meters);
        try
        {
            if (!monitor.WaitForTick(0, options.StartTimeout))
            {
                throw new DiagTargetException(monitor.Ended
                    ? $"process {processId} ended the diagnostics session before the first metrics interval"
                    : $"process {processId} sent no metrics within {options.StartTimeout.TotalSeconds:F0} s");
            }
            return new RuntimeProbe(monitor, options, monitor.SnapshotAndResetPauseMaximum());
        }
        catch
        {
            monitor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Ends the window and returns the summary; later calls return the same summary. If the target exited, the
    /// summary covers up to its last interval.
    /// </summary>
    public RuntimeProbeSummary Stop()
    {
        if (_summary is not null)
        {
            return _summary;
        }
        long tick = _monitor.Ticks;
        _ = _monitor.WaitForTick(tick, _options.Interval * 2 + TimeSpan.FromSeconds(2));
        RuntimeSnapshot end = _monitor.Snapshot();
        _monitor.Dispose();
        _summary = Summarize(_baseline, end);
        return _summary;
    }

    public void Dispose() => _monitor.Dispose();

    private RuntimeProbeSummary Summarize(RuntimeSnapshot start, RuntimeSnapshot end)
    {
        TimeSpan elapsed = end.TimestampUtc - start.TimestampUtc;
        long? allocated = Delta(start, end, TotalAllocated) is double a ? (long)a : null;
        double? cpuSeconds = Delta(start, end, CpuTime);
        double? cpuPercent = cpuSeconds is double c && elapsed > TimeSpan.Zero ? c / elapsed.TotalSeconds * 100 : null;
        GcTotals gc = Subtract(end.Gc, start.Gc);
        return new RuntimeProbeSummary(_monitor.ProcessId, elapsed, allocated, gc.Gen0.Count, gc.Gen1.Count,
            gc.Gen2.Count, gc.PauseMaxMs, gc.PauseTotalMs, cpuSeconds, cpuPercent, end.Metrics);
    }

    private static double? Delta(RuntimeSnapshot start, RuntimeSnapshot end, string instrument) =>
        (start.CumulativeSum(DiagProviders.RuntimeMeter, instrument), end.CumulativeSum(DiagProviders.RuntimeMeter, instrument))
            is (double s, double e) ? e - s : null;

    // Maxima were reset when the baseline was taken, so the end maxima are the window's.
    private static GcTotals Subtract(GcTotals end, GcTotals start) => new(
        Minus(end.Gen0, start.Gen0), Minus(end.Gen1, start.Gen1), Minus(end.Gen2, start.Gen2));

    private static GcGenerationStats Minus(GcGenerationStats end, GcGenerationStats start) =>
        new(end.Count - start.Count, end.PauseTotalMs - start.PauseTotalMs,
            end.PauseMaxMs);
}
