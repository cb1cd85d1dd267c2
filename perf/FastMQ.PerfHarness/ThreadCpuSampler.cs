using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace FastMQ.PerfHarness;

/// <summary>
/// A `top -H`-like reading of another process: CPU ticks (utime + stime, in USER_HZ = 100 per second on Linux) of each
/// of its threads from /proc/PID/task/*/stat, taken at the start and end of the measured window.
/// </summary>
internal sealed class ThreadCpuSampler
{
    private const double TicksPerSecond = 100;
    private readonly int _pid;
    private Dictionary<int, (string Name, long Ticks)> _start = [];

    public ThreadCpuSampler(int pid) => _pid = pid;

    public void Begin() => _start = Snapshot();

    /// <summary>Per-thread CPU % over the window (100 % = one core), busiest first; threads under 0.5 % are left out.</summary>
    public List<ThreadCpu> End(double elapsedS)
    {
        var result = new List<ThreadCpu>();
        if (elapsedS <= 0)
        {
            return result;
        }
        foreach ((int tid, (string name, long ticks)) in Snapshot())
        {
            long before = _start.TryGetValue(tid, out var s) ? s.Ticks : 0;
            double percent = (ticks - before) / TicksPerSecond / elapsedS * 100;
            if (percent >= 0.5)
            {
                result.Add(new ThreadCpu { Name = name, Tid = tid, CpuPercent = Math.Round(percent, 1) });
            }
        }
        result.Sort((a, b) => b.CpuPercent.CompareTo(a.CpuPercent));
        return result;
    }

    private Dictionary<int, (string, long)> Snapshot()
    {
        var map = new Dictionary<int, (string, long)>();
        string dir = $"/proc/{_pid}/task";
        if (!Directory.Exists(dir))
        {
            return map;
        }
        foreach (string task in Directory.GetDirectories(dir))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                int open = stat.IndexOf('(', StringComparison.Ordinal);
                int close = stat.LastIndexOf(')');
                string name = stat[(open + 1)..close];
                // Fields after the comm: state is field 3, utime field 14, stime field 15.
                string[] f = stat[(close + 2)..].Split(' ');
                long ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
                map[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (name, ticks);
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }
        return map;
    }
}
