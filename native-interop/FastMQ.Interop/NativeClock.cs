using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FastMQ.Interop;

/// <summary>
/// Sub-millisecond sleeping on CLOCK_MONOTONIC, for load generators that pace messages to a schedule: Thread.Sleep
/// has millisecond granularity (Sleep(1) wakes ~1.06 ms later), so a paced sender otherwise starts each tick up to a
/// millisecond late, and that lateness is charged to the system under test.
/// </summary>
public static unsafe class NativeClock
{
    /// <summary>
    /// True when <see cref="Stopwatch.GetTimestamp"/> counts CLOCK_MONOTONIC nanoseconds (the .NET runtime on Linux),
    /// so its timestamps can be passed to <see cref="SleepUntil"/> as they are.
    /// </summary>
    public static bool StopwatchIsMonotonicNs { get; } = Stopwatch.Frequency == 1_000_000_000 && CheckSameClock();

    /// <summary>CLOCK_MONOTONIC now, in nanoseconds.</summary>
    public static long MonotonicNs
    {
        get
        {
            Interop.Sys.TimeSpec ts;
            if (Interop.Sys.ClockGetTime(Interop.Sys.ClockMonotonic, &ts) != 0)
            {
                InteropThrowHelper.NativeIO("clock_gettime(CLOCK_MONOTONIC)", Marshal.GetLastPInvokeError());
            }
            return ts.Seconds * 1_000_000_000 + ts.Nanoseconds;
        }
    }

    /// <summary>
    /// Sleeps until CLOCK_MONOTONIC reaches <paramref name="monotonicNs"/> (returns at once if it has passed), with an
    /// absolute deadline so an interrupted sleep resumes without drift. The wake-up comes the calling thread's timer
    /// slack later at best (50 µs by default; see <see cref="SetTimerSlackNs"/>).
    /// </summary>
    public static void SleepUntil(long monotonicNs)
    {
        var ts = new Interop.Sys.TimeSpec { Seconds = monotonicNs / 1_000_000_000, Nanoseconds = monotonicNs % 1_000_000_000 };
        int error;
        do
        {
            error = Interop.Sys.ClockNanosleep(Interop.Sys.ClockMonotonic, Interop.Sys.TimerAbsTime, &ts, null);
        }
        while (error == Errors.EINTR);
        if (error != 0)
        {
            InteropThrowHelper.NativeIO("clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)", error);
        }
    }

    /// <summary>
    /// Sets the calling thread's timer slack (prctl PR_SET_TIMERSLACK): how much later than asked the kernel may end
    /// its sleeps to batch wake-ups. 1 ns asks for the most precise wake-ups.
    /// </summary>
    public static void SetTimerSlackNs(long nanoseconds)
    {
        if (nanoseconds < 1)
        {
            InteropThrowHelper.ArgumentOutOfRange(nameof(nanoseconds), "timer slack must be at least 1 ns");
        }
        if (Interop.Sys.Prctl(Interop.Sys.PrSetTimerSlack, (nuint)nanoseconds, 0, 0, 0) != 0)
        {
            InteropThrowHelper.NativeIO("prctl(PR_SET_TIMERSLACK)", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>The calling thread's timer slack in nanoseconds (prctl PR_GET_TIMERSLACK).</summary>
    public static long GetTimerSlackNs()
    {
        int slack = Interop.Sys.Prctl(Interop.Sys.PrGetTimerSlack, 0, 0, 0, 0);
        if (slack < 0)
        {
            InteropThrowHelper.NativeIO("prctl(PR_GET_TIMERSLACK)", Marshal.GetLastPInvokeError());
        }
        return slack;
    }

    private static bool CheckSameClock()
    {
        long before = Stopwatch.GetTimestamp();
        long mono = MonotonicNs;
        long after = Stopwatch.GetTimestamp();
        return mono >= before && mono <= after;
    }
}
