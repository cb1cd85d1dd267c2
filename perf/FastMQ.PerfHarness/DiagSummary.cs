using System.Globalization;

namespace FastMQ.PerfHarness;

/// <summary>The broker runtime's allocations and garbage collections over a run, as <c>--diag</c> reports them.</summary>
internal sealed class DiagSummary
{
    public long AllocatedBytes { get; init; }
    public long Gen0 { get; init; }
    public long Gen1 { get; init; }
    public long Gen2 { get; init; }
    public double MaxPauseMs { get; init; }
    public double TotalPauseMs { get; init; }
    /// <summary>Broker CPU over the probe window (100 = one core), when the runtime reports it.</summary>
    public double? CpuPercent { get; init; }
    public double WindowS { get; init; }
    /// <summary>Where the figures come from (the probe used, or why there are none).</summary>
    public string Source { get; init; } = "";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"broker allocated {AllocatedBytes:N0} bytes, GC gen0/1/2 = {Gen0}/{Gen1}/{Gen2}, max pause {MaxPauseMs:F2} ms (total {TotalPauseMs:F1} ms), CPU {(CpuPercent is double c ? c.ToString("F0", CultureInfo.InvariantCulture) + " %" : "n/a")} over {WindowS:F1} s [{Source}]");
}
