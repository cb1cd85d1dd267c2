using System;
using System.Diagnostics;
using System.Threading;
using Xunit;

namespace FastMQ.Interop.Tests;

public class NativeClockTests
{
    [Fact]
    public void Stopwatch_CountsMonotonicNanoseconds()
    {
        // Goal: paced senders may hand Stopwatch timestamps to SleepUntil. Method: on Linux .NET the Stopwatch must
        // tick in nanoseconds of CLOCK_MONOTONIC: one clock_gettime read lies between two Stopwatch reads.
        Assert.True(NativeClock.StopwatchIsMonotonicNs);
        long before = Stopwatch.GetTimestamp();
        long mono = NativeClock.MonotonicNs;
        long after = Stopwatch.GetTimestamp();
        Assert.InRange(mono, before, after);
    }

    [Fact]
    public void SleepUntil_NeverWakesBeforeTheDeadline_AndReturnsForAPastOne()
    {
        // Goal: an absolute sleep on CLOCK_MONOTONIC never returns early, a deadline in the past returns without sleeping
        // (not as a relative sleep of about the machine's uptime), and the timer slack setting reads back. Method: on a
        // fresh thread, 50 sleeps to deadlines 300 µs apart, each checked against the clock afterwards; then a deadline
        // 1 ms in the past, bounded generously (how close the wake-ups come is a benchmark figure: the harness's pacing
        // lag in docs/PERF.md, p50 0.04 ms on a quiet machine — not asserted here, where builds share the cores).
        long[] lateNs = new long[50];
        long pastReturnNs = 0;
        long slack = 0;
        var thread = new Thread(() =>
        {
            NativeClock.SetTimerSlackNs(1);
            slack = NativeClock.GetTimerSlackNs();
            long next = NativeClock.MonotonicNs + 300_000;
            for (int i = 0; i < lateNs.Length; i++)
            {
                NativeClock.SleepUntil(next);
                lateNs[i] = NativeClock.MonotonicNs - next;
                next = Math.Max(next, NativeClock.MonotonicNs) + 300_000;
            }
            long start = NativeClock.MonotonicNs;
            NativeClock.SleepUntil(start - 1_000_000);
            pastReturnNs = NativeClock.MonotonicNs - start;
        });
        thread.Start();
        thread.Join();
        Assert.Equal(1, slack);
        Assert.All(lateNs, l => Assert.True(l >= 0, $"woke {-l} ns before the deadline"));
        Assert.True(pastReturnNs < 1_000_000_000, $"a past deadline slept {pastReturnNs / 1_000_000} ms");
    }

    [Fact]
    public void SetTimerSlack_RejectsZero()
    {
        // Goal: a zero slack (which would reset to the default) is refused with a clear error. Method: call with 0.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NativeClock.SetTimerSlackNs(0));
        Assert.Contains("at least 1 ns", e.Message, StringComparison.Ordinal);
    }
}
