using System.Diagnostics;
using System.Threading;
using FastMQ.Interop;

namespace FastMQ.PerfHarness;

/// <summary>
/// The e2e send schedule: message k is due at the start of the tick (of <c>tickUs</c>) containing k / rate, so at
/// 20,000 msg/s with 1 ms ticks, 20 messages are due together every millisecond. Sleeping between ticks instead of
/// spinning keeps the harness off the cores the broker needs; the resulting lateness is measured, not hidden.
/// </summary>
/// <remarks>
/// The sleep is an absolute clock_nanosleep on CLOCK_MONOTONIC with a 1 ns timer slack for the pacing thread
/// (<see cref="NativeClock"/>): Thread.Sleep(1) wakes ~1.06 ms later, which started every tick about half a
/// millisecond late on average (pacing lag p50 0.55 ms, charged to the system under test by the CO correction).
/// </remarks>
internal sealed class FixedRateSchedule
{
    private readonly long _t0;
    private readonly long _tickTicks;
    private readonly double _ticksPerMessage;

    public FixedRateSchedule(long t0Ticks, double ratePerS, int tickUs)
    {
        if (ratePerS <= 0)
        {
            throw new System.ArgumentOutOfRangeException(nameof(ratePerS), ratePerS, "the rate must be positive");
        }
        _t0 = t0Ticks;
        _tickTicks = System.Math.Max(1, tickUs * Stopwatch.Frequency / 1_000_000);
        _ticksPerMessage = (double)Stopwatch.Frequency / ratePerS;
    }

    /// <summary>How many messages are due by <paramref name="ticks"/> (the first k whose intended time is later).</summary>
    public long DueBy(long ticks)
    {
        if (ticks < _t0)
        {
            return 0;
        }
        long tickStart = (ticks - _t0) / _tickTicks * _tickTicks;
        // Messages k with floor(k * tpm / tick) * tick <= tickStart, i.e. k * tpm < tickStart + tick.
        return (long)System.Math.Ceiling((tickStart + _tickTicks) / _ticksPerMessage);
    }

    public long IntendedTicks(long k)
    {
        long exact = (long)(k * _ticksPerMessage);
        return _t0 + exact / _tickTicks * _tickTicks;
    }

    [System.ThreadStatic]
    private static bool t_preciseSleep;

    /// <summary>Sleeps until <paramref name="intendedTicks"/> and returns the time it woke.</summary>
    public static long WaitUntil(long intendedTicks)
    {
        long now = Stopwatch.GetTimestamp();
        if (now >= intendedTicks)
        {
            return now;
        }
        if (NativeClock.StopwatchIsMonotonicNs)
        {
            if (!t_preciseSleep)
            {
                // Once per pacing thread: ask the kernel not to batch this thread's wake-ups (default slack 50 µs).
                NativeClock.SetTimerSlackNs(1);
                t_preciseSleep = true;
            }
            NativeClock.SleepUntil(intendedTicks);
            return Stopwatch.GetTimestamp();
        }
        while (now < intendedTicks)
        {
            // Millisecond sleeps where the Stopwatch is not CLOCK_MONOTONIC: Sleep(1) wakes ~1.05-1.1 ms later; any
            // oversleep is counted against the latency (and shows in the pacing-lag figure).
            long waitMs = (intendedTicks - now) * 1000 / Stopwatch.Frequency;
            Thread.Sleep(waitMs >= 2 ? (int)waitMs - 1 : 1);
            now = Stopwatch.GetTimestamp();
        }
        return now;
    }
}
