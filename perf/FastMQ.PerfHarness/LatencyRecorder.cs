using System.Diagnostics;
using HdrHistogram;

namespace FastMQ.PerfHarness;

/// <summary>
/// End-to-end latency in microseconds, recorded by the consumer thread and read by the live reporter, so a lock guards
/// the histograms (a few hundred ns per message in the harness, not in the broker). Two measures per message:
/// from its intended send time (the fixed-rate schedule: corrected for coordinated omission, because a stalled producer
/// does not stop the clock) and from the moment the client was actually handed it.
/// </summary>
internal sealed class LatencyRecorder
{
    /// <summary>1 µs to 60 s at 3 significant digits.</summary>
    private const long HighestUs = 60_000_000;
    private readonly object _gate = new();

    public LongHistogram Intended { get; } = new(1, HighestUs, 3);
    public LongHistogram Sent { get; } = new(1, HighestUs, 3);
    /// <summary>How late the harness handed messages to the client relative to the schedule (its own pacing error).</summary>
    public LongHistogram PacingLag { get; } = new(1, HighestUs, 3);
    private readonly LongHistogram _interval = new(1, HighestUs, 3);

    public void Record(long intendedTicks, long sentTicks, long nowTicks)
    {
        long intendedUs = ToUs(nowTicks - intendedTicks);
        long sentUs = ToUs(nowTicks - sentTicks);
        long lagUs = ToUs(sentTicks - intendedTicks);
        lock (_gate)
        {
            Intended.RecordValue(intendedUs);
            Sent.RecordValue(sentUs);
            PacingLag.RecordValue(lagUs);
            _interval.RecordValue(intendedUs);
        }
    }

    /// <summary>p50/p99/max of the corrected latency since the previous call, for the live line.</summary>
    public string TakeIntervalLine() => TakeIntervalLine("e2e");

    /// <summary>The interval's p50/p99/max under <paramref name="label"/>, then the p99 of the whole run so far.</summary>
    public string TakeIntervalLine(string label)
    {
        lock (_gate)
        {
            if (_interval.TotalCount == 0)
            {
                return label + " -";
            }
            string s = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{label} p50 {_interval.GetValueAtPercentile(50) / 1000.0:F2} p99 {_interval.GetValueAtPercentile(99) / 1000.0:F2} max {_interval.GetMaxValue() / 1000.0:F2} ms (p99 so far {Intended.GetValueAtPercentile(99) / 1000.0:F2})");
            _interval.Reset();
            return s;
        }
    }

    private static long ToUs(long ticks) => System.Math.Clamp(ticks * 1_000_000 / Stopwatch.Frequency, 1, HighestUs);
}
