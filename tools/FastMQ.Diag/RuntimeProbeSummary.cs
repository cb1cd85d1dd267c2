using System;
using System.Collections.Generic;
using System.Globalization;
using FastMQ.Diag.Metrics;

namespace FastMQ.Diag;

/// <summary>
/// What a target process did between <see cref="RuntimeProbe.Start"/> and <see cref="RuntimeProbe.Stop"/>.
/// Counts and bytes are differences between the first and the last metrics interval of the window, so they
/// cover at least the probed run (each end may include up to one interval more).
/// </summary>
/// <param name="ProcessId">The target.</param>
/// <param name="Elapsed">Wall time between the two metrics intervals the deltas come from.</param>
/// <param name="AllocatedBytes">Bytes the target allocated (dotnet.gc.heap.total_allocated); null when the target's
/// runtime has no System.Runtime meter (.NET 8 and older).</param>
/// <param name="Gen0Collections">Gen0 GCs in the window (from GC events).</param>
/// <param name="Gen1Collections">Gen1 GCs in the window.</param>
/// <param name="Gen2Collections">Gen2 GCs in the window, background ones included.</param>
/// <param name="GcPauseMaxMs">Longest GC suspension in the window.</param>
/// <param name="GcPauseTotalMs">Sum of GC suspensions in the window.</param>
/// <param name="CpuSeconds">User + system CPU time of the target in the window (dotnet.process.cpu.time); null without the meter.</param>
/// <param name="CpuPercent">CpuSeconds / Elapsed × 100: 100 means one core busy, 200 two cores; null without the meter.</param>
/// <param name="Metrics">Last values of System.Runtime and the extra meters (e.g. FastMQ.Broker) at the end.</param>
public sealed record RuntimeProbeSummary(
    int ProcessId,
    TimeSpan Elapsed,
    long? AllocatedBytes,
    long Gen0Collections,
    long Gen1Collections,
    long Gen2Collections,
    double GcPauseMaxMs,
    double GcPauseTotalMs,
    double? CpuSeconds,
    double? CpuPercent,
    IReadOnlyList<MetricValue> Metrics)
{
    /// <summary>One line for a report, e.g. "allocated 12,345,678 bytes, GC gen0/1/2 = 12/3/0, max pause 1.8 ms, …".</summary>
    public string Describe()
    {
        string allocated = AllocatedBytes is long b ? b.ToString("N0", CultureInfo.InvariantCulture) + " bytes" : "n/a";
        string cpu = CpuPercent is double p ? p.ToString("F0", CultureInfo.InvariantCulture) + "% CPU" : "CPU n/a";
        return string.Create(CultureInfo.InvariantCulture,
            $"allocated {allocated}, GC gen0/1/2 = {Gen0Collections}/{Gen1Collections}/{Gen2Collections}, " +
            $"max pause {GcPauseMaxMs:F1} ms, total pause {GcPauseTotalMs:F1} ms, {cpu} over {Elapsed.TotalSeconds:F1} s");
    }
}
