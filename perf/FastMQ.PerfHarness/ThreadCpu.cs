namespace FastMQ.PerfHarness;

/// <summary>One thread's share of CPU over the measured window (100 = one core).</summary>
internal sealed class ThreadCpu
{
    public string Name { get; init; } = "";
    public int Tid { get; init; }
    public double CpuPercent { get; init; }
}
