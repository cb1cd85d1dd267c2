using System;
using FastMQ.Diag;
using FastMQ.Diag.Attach;

namespace FastMQ.PerfHarness;

/// <summary>
/// <c>--diag</c>: fastmq-diag's <see cref="RuntimeProbe"/> attached to the broker for the whole scenario (it includes
/// the warm-up and any preload, plus up to one 1 s interval on each side). A broker that cannot be attached gives a
/// summary that says why instead of failing the run.
/// </summary>
internal sealed class DiagProbe : IDisposable
{
    private readonly RuntimeProbe? _probe;
    private readonly string _failure;

    private DiagProbe(RuntimeProbe? probe, string failure)
    {
        _probe = probe;
        _failure = failure;
    }

    public static DiagProbe? Start(HarnessOptions o, int? brokerPid)
    {
        if (!o.Diag || brokerPid is not int pid)
        {
            return null;
        }
        try
        {
            return new DiagProbe(RuntimeProbe.Start(pid), "");
        }
        catch (DiagTargetException e)
        {
            Console.WriteLine($"--diag: {e.Message}");
            return new DiagProbe(null, e.Message);
        }
    }

    public DiagSummary Stop()
    {
        if (_probe is null)
        {
            return new DiagSummary { Source = "fastmq-diag probe failed: " + _failure };
        }
        RuntimeProbeSummary s = _probe.Stop();
        return new DiagSummary
        {
            AllocatedBytes = s.AllocatedBytes ?? -1,
            Gen0 = s.Gen0Collections,
            Gen1 = s.Gen1Collections,
            Gen2 = s.Gen2Collections,
            MaxPauseMs = s.GcPauseMaxMs,
            TotalPauseMs = s.GcPauseTotalMs,
            CpuPercent = s.CpuPercent,
            WindowS = s.Elapsed.TotalSeconds,
            Source = $"fastmq-diag RuntimeProbe, pid {s.ProcessId}, whole scenario",
        };
    }

    public void Dispose() => _probe?.Dispose();
}
