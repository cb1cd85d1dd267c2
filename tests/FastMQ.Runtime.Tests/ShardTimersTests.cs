using System;
using System.Collections.Generic;
using FastMQ.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FastMQ.Runtime.Tests;

public sealed class ShardTimersTests
{
    private sealed class Recorder : IShardTimerCallback
    {
        public List<(long Arg, object? State, long NowMs)> Fired { get; } = [];

        public Action<TimerHandle, long>? OnFire { get; set; }

        public void OnTimer(TimerHandle handle, object? state, long arg, long nowMs)
        {
            Fired.Add((arg, state, nowMs));
            OnFire?.Invoke(handle, arg);
        }
    }

    [Fact]
    public void Poll_FiresDueTimersInDeadlineOrder_TiesInScheduleOrder()
    {
        // Goal: firing order. Method: schedule shuffled deadlines (with ties) on a manual clock and poll step by step.
        var clock = new ManualClock();
        var timers = new ShardTimers(clock, initialCapacity: 2);
        var rec = new Recorder();
        long[] deadlines = [50, 10, 30, 10, 70, 30, 20];
        for (int i = 0; i < deadlines.Length; i++)
        {
            timers.Schedule(deadlines[i], rec, state: null, arg: i);
        }
        Assert.Equal(7, timers.Count);
        Assert.Equal(10, timers.NextDeadlineMs);
        Assert.Equal(0, timers.Poll(9));
        Assert.Equal(2, timers.Poll(10));
        Assert.Equal(4, timers.Poll(69));
        Assert.Equal(1, timers.Poll(1000));
        Assert.Equal(long.MaxValue, timers.NextDeadlineMs);
        long[] order = rec.Fired.ConvertAll(f => f.Arg).ToArray();
        Assert.Equal(new long[] { 1, 3, 6, 2, 5, 0, 4 }, order);
        Assert.True(timers.Capacity >= 7);
    }

    [Fact]
    public void Cancel_RemovesOnlyThatTimer_AndStaleHandlesAreHarmless()
    {
        // Goal: cancel semantics. Method: cancel one of three, poll, then try the cancelled and fired handles again
        // after their entries were reused.
        var clock = new ManualClock();
        var timers = new ShardTimers(clock, initialCapacity: 4);
        var rec = new Recorder();
        TimerHandle a = timers.Schedule(10, rec, "a", 1);
        TimerHandle b = timers.Schedule(20, rec, "b", 2);
        TimerHandle c = timers.Schedule(30, rec, "c", 3);
        Assert.True(timers.Cancel(b));
        Assert.False(timers.Cancel(b));
        Assert.False(timers.IsScheduled(b));
        Assert.True(timers.IsScheduled(a));
        Assert.Equal(2, timers.Poll(100));
        Assert.Equal(new object?[] { "a", "c" }, rec.Fired.ConvertAll(f => f.State).ToArray());
        // Reuse the freed entries; the old handles must not cancel the new timers.
        TimerHandle d = timers.Schedule(40, rec, "d", 4);
        TimerHandle e = timers.Schedule(50, rec, "e", 5);
        Assert.False(timers.Cancel(a));
        Assert.False(timers.Cancel(b));
        Assert.False(timers.Cancel(c));
        Assert.False(timers.Cancel(default));
        Assert.True(timers.IsScheduled(d) && timers.IsScheduled(e));
        Assert.Equal(2, timers.Poll(100));
    }

    [Fact]
    public void Cancel_FromTheMiddleOfALargeHeap_KeepsOrder()
    {
        // Goal: heap removal keeps the invariant. Method: 500 timers with pseudo-random deadlines, cancel every third,
        // fire all, check the survivors fire sorted by (deadline, schedule order).
        var clock = new ManualClock();
        var timers = new ShardTimers(clock, initialCapacity: 8);
        var rec = new Recorder();
        var rng = new Random(1234);
        var handles = new List<TimerHandle>();
        var expected = new List<(long Deadline, long Arg)>();
        for (int i = 0; i < 500; i++)
        {
            long deadline = rng.Next(0, 200);
            handles.Add(timers.Schedule(deadline, rec, null, i));
            if (i % 3 != 0)
            {
                expected.Add((deadline, i));
            }
        }
        for (int i = 0; i < 500; i += 3)
        {
            Assert.True(timers.Cancel(handles[i]));
        }
        expected.Sort();
        Assert.Equal(expected.Count, timers.Poll(1000));
        Assert.Equal(expected.ConvertAll(x => x.Arg), rec.Fired.ConvertAll(f => f.Arg));
    }

    [Fact]
    public void Callback_MaySchedule_ButNewDueTimersWaitForTheNextPoll()
    {
        // Goal: a callback re-arming at "now" cannot starve the loop. Method: a callback that reschedules itself at
        // the current time; each poll fires exactly one.
        var clock = new ManualClock();
        var timers = new ShardTimers(clock);
        var rec = new Recorder();
        rec.OnFire = (_, arg) => timers.Schedule(5, rec, null, arg + 1);
        timers.Schedule(5, rec, null, 0);
        Assert.Equal(1, timers.Poll(5));
        Assert.Equal(1, timers.Poll(5));
        Assert.Equal(1, timers.Count);
        Assert.Equal(new long[] { 0, 1 }, rec.Fired.ConvertAll(f => f.Arg).ToArray());
    }

    [Fact]
    public void Callback_ThatThrows_IsLogged_AndOthersStillFire()
    {
        // Goal: one bad callback does not break the others. Method: three timers, the middle one throws.
        var clock = new ManualClock();
        var log = new ListLogger();
        var timers = new ShardTimers(clock, log);
        var rec = new Recorder();
        rec.OnFire = (_, arg) =>
        {
            if (arg == 2)
            {
                throw new InvalidOperationException("boom");
            }
        };
        timers.Schedule(1, rec, null, 1);
        timers.Schedule(2, rec, null, 2);
        timers.Schedule(3, rec, null, 3);
        Assert.Equal(3, timers.Poll(10));
        Assert.Equal(3, rec.Fired.Count);
        Assert.Equal(1, timers.CallbackFailures);
        Assert.True(log.Any(LogLevel.Error, "Timer callback"));
    }

    [Fact]
    public void ScheduleAfter_UsesTheClock_AndSteadyStateDoesNotAllocate()
    {
        // Goal: relative scheduling and zero allocation once warmed. Method: schedule/cancel/fire 10 000 timers after
        // a warm-up and compare this thread's allocated bytes.
        var clock = new ManualClock { MonotonicNs = 7_000_000 };
        var timers = new ShardTimers(clock, initialCapacity: 64);
        var rec = new NoopCallback();
        TimerHandle h = timers.ScheduleAfter(3, rec);
        Assert.Equal(10, timers.NextDeadlineMs);
        timers.Cancel(h);
        for (int i = 0; i < 100; i++)
        {
            timers.ScheduleAfter(i % 7, rec, null, i);
        }
        clock.AdvanceMs(10);
        timers.Poll(timers.NowMs);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            TimerHandle x = timers.ScheduleAfter(i % 5, rec, null, i);
            TimerHandle y = timers.ScheduleAfter(i % 3, rec, null, i);
            timers.Cancel(x);
            clock.AdvanceMs(1);
            timers.Poll(timers.NowMs);
            _ = y;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private sealed class NoopCallback : IShardTimerCallback
    {
        public void OnTimer(TimerHandle handle, object? state, long arg, long nowMs)
        {
        }
    }
}
