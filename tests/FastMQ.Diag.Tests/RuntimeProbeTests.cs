using System;
using System.Linq;
using System.Threading;
using FastMQ.Diag.Attach;
using Xunit;

namespace FastMQ.Diag.Tests;

public class RuntimeProbeTests
{
    [Fact]
    public void Probe_OverAllocatingTarget_ReportsAllocationsGcsPausesAndCpu()
    {
        // Goal: the harness API measures a real process. Method: probe the allocating test target for ~3 s and
        // check the deltas against what the target is known to do (≈40 MB/s of garbage, a few ms of CPU per loop).
        using var target = new TargetApp();
        using RuntimeProbe probe = RuntimeProbe.Start(target.Pid);
        Thread.Sleep(TimeSpan.FromSeconds(3));
        RuntimeProbeSummary summary = probe.Stop();

        Assert.Equal(target.Pid, summary.ProcessId);
        Assert.InRange(summary.Elapsed.TotalSeconds, 2.5, 8);
        // At least ~4 MB/s even on a loaded machine; the target allocates 400 KB per loop, ~70 loops/s.
        Assert.True(summary.AllocatedBytes > 10_000_000, $"allocated {summary.AllocatedBytes}");
        Assert.True(summary.Gen0Collections > 0, summary.Describe());
        Assert.True(summary.GcPauseMaxMs > 0 && summary.GcPauseTotalMs >= summary.GcPauseMaxMs, summary.Describe());
        Assert.True(summary.CpuSeconds > 0.05 && summary.CpuPercent > 1, summary.Describe());
        // The FastMQ.Broker meter's instruments come through without the probe knowing their names.
        Assert.Contains(summary.Metrics, m => m.Meter == DiagProviders.BrokerMeter && m.Instrument == TargetApp.LoopInstrument && m.Value > 0);
        Assert.Contains("GC gen0/1/2 = ", summary.Describe(), StringComparison.Ordinal);
        // Stop is idempotent.
        Assert.Same(summary, probe.Stop());
    }

    [Fact]
    public void Probe_TwoAtOnce_ShareTheMetricsSession()
    {
        // Goal: the harness probe and a live counters view can watch one broker together. Method: two probes with the
        // same interval on one target; both must get metrics (the runtime's shared metrics session).
        using var target = new TargetApp();
        using RuntimeProbe first = RuntimeProbe.Start(target.Pid);
        using RuntimeProbe second = RuntimeProbe.Start(target.Pid);
        Thread.Sleep(TimeSpan.FromSeconds(1.5));
        RuntimeProbeSummary a = second.Stop();
        RuntimeProbeSummary b = first.Stop();
        Assert.True(a.AllocatedBytes > 0, a.Describe());
        Assert.True(b.AllocatedBytes > 0, b.Describe());
    }

    [Fact]
    public void Probe_UnknownPid_ThrowsClearError()
    {
        // Goal: a wrong pid fails fast with a message naming it. Method: a pid no process has.
        int pid = UnusedPid();
        DiagTargetException e = Assert.Throws<DiagTargetException>(() => RuntimeProbe.Start(pid));
        Assert.Equal($"no process with id {pid} is running", e.Message);
    }

    internal static int UnusedPid()
    {
        int[] running = [.. System.Diagnostics.Process.GetProcesses().Select(p => p.Id)];
        int pid = 4_000_000;
        while (running.Contains(pid))
        {
            pid--;
        }
        return pid;
    }
}
