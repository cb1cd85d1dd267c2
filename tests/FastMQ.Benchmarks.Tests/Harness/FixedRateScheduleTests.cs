using System.Diagnostics;
using FastMQ.PerfHarness;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Harness;

public sealed class FixedRateScheduleTests
{
    [Fact]
    public void MessagesDueInATickShareItsStartAndTheRateIsExact()
    {
        // Goal: 20,000 msg/s with 1 ms ticks = 20 messages per tick, no drift. Method: intended times of the first second.
        long f = Stopwatch.Frequency;
        var s = new FixedRateSchedule(0, 20_000, 1000);
        long tick = f / 1000;
        for (long k = 0; k < 20_000; k++)
        {
            Assert.Equal(k / 20 * tick, s.IntendedTicks(k));
        }
        Assert.Equal(f, s.IntendedTicks(20_000));
    }

    [Fact]
    public void DueByCountsTheMessagesWhoseTickHasStarted()
    {
        // Goal: DueBy agrees with IntendedTicks. Method: for many k, message k is due at its own intended time, not before it.
        var s = new FixedRateSchedule(1000, 123_457.5, 250);
        for (long k = 1; k < 50_000; k += 97)
        {
            long t = s.IntendedTicks(k);
            Assert.True(s.DueBy(t) > k);
            Assert.True(s.DueBy(t - 1) <= k);
        }
        Assert.Equal(0, s.DueBy(999));
    }

    [Fact]
    public void WaitUntilNeverReturnsEarly()
    {
        // Goal: pacing never sends ahead of the schedule (lateness is measured, earliness would hide latency).
        // Method: wait for 20 deadlines 1.3 ms apart on the real clock; each return time is at or after its deadline.
        long start = Stopwatch.GetTimestamp();
        for (int i = 1; i <= 20; i++)
        {
            long due = start + i * Stopwatch.Frequency * 13 / 10_000;
            Assert.True(FixedRateSchedule.WaitUntil(due) >= due);
        }
    }
}
