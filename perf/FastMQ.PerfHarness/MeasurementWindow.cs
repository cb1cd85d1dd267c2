using System.Collections.Generic;
using System.Diagnostics;

namespace FastMQ.PerfHarness;

/// <summary>
/// The measured part of a scenario (e.g. not the consume scenario's preload): wall time, the broker's per-thread CPU
/// (when its pid is known), the harness's own CPU and the machine load, all over the same interval.
/// </summary>
internal sealed class MeasurementWindow
{
    private readonly ThreadCpuSampler? _broker;
    private readonly MachineFacts _machine;
    private long _startTicks;
    private double _harnessCpuStartS;

    public MeasurementWindow(int? brokerPid, MachineFacts machine)
    {
        _broker = brokerPid is int pid ? new ThreadCpuSampler(pid) : null;
        _machine = machine;
    }

    public double ElapsedS { get; private set; }
    public List<ThreadCpu> BrokerThreads { get; private set; } = [];
    public double BrokerCpuPercent { get; private set; }
    public double HarnessCpuPercent { get; private set; }
    /// <summary>CPU seconds of worker processes (--processes), added to the harness CPU; their whole lifetime, start-up included.</summary>
    public double WorkerCpuS { get; set; }

    public void Begin()
    {
        _machine.LoadAvgStart = MachineFacts.LoadAvg();
        _broker?.Begin();
        using var self = Process.GetCurrentProcess();
        _harnessCpuStartS = self.TotalProcessorTime.TotalSeconds;
        _startTicks = Stopwatch.GetTimestamp();
    }

    public double End()
    {
        ElapsedS = Stopwatch.GetElapsedTime(_startTicks).TotalSeconds;
        using var self = Process.GetCurrentProcess();
        HarnessCpuPercent = System.Math.Round((self.TotalProcessorTime.TotalSeconds - _harnessCpuStartS + WorkerCpuS) / ElapsedS * 100, 1);
        if (_broker is not null)
        {
            BrokerThreads = _broker.End(ElapsedS);
            double sum = 0;
            foreach (ThreadCpu t in BrokerThreads)
            {
                sum += t.CpuPercent;
            }
            BrokerCpuPercent = System.Math.Round(sum, 1);
        }
        _machine.LoadAvgEnd = MachineFacts.LoadAvg();
        return ElapsedS;
    }
}
