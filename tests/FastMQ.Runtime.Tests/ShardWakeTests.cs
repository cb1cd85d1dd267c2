using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using FastMQ.Core;
using FastMQ.Runtime.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FastMQ.Runtime.Tests;

public sealed class ShardWakeTests(ITestOutputHelper output)
{
    // Parks last up to a second, so a lost wake-up would show as ~1000 ms, far above every bound asserted here.
    private static ShardSetOptions SleepyOptions(int shards = 1) => new()
    {
        ShardCount = shards,
        PinThreads = false,
        IdleSpins = 0,
        IdleYields = 0,
        IdleParkMs = 1000,
    };

    private sealed class Stamp : IShardWork
    {
        public long RanAt;

        public void Execute(Shard shard, in ShardMessage message) => Volatile.Write(ref RanAt, Stopwatch.GetTimestamp());
    }

    [Fact]
    public void ParkedShard_WakesPromptlyOnAMessage()
    {
        // Goal: a parked shard wakes on a message from another thread (< 100 µs typical; asserted generously on this
        // shared 2-core box). Method: 40 times, wait until the shard is parked, send, measure send → run; median
        // < 5 ms, and every sample far below the 1 s park timeout (no lost wake-up).
        using var set = new ShardSet(SleepyOptions());
        set.Start();
        Shard shard = set[0];
        var latenciesUs = new List<double>();
        var stamp = new Stamp();
        for (int i = 0; i < 40; i++)
        {
            // The previous item has run, so Activity moved on from any earlier park: Parked now means parked again.
            Assert.True(Wait.Until(() => shard.Activity == ShardActivity.Parked));
            Volatile.Write(ref stamp.RanAt, 0);
            long sentAt = Stopwatch.GetTimestamp();
            set.Send(new ShardId(0), new ShardMessage(stamp));
            Assert.True(Wait.Until(() => Volatile.Read(ref stamp.RanAt) != 0));
            latenciesUs.Add((Volatile.Read(ref stamp.RanAt) - sentAt) * 1_000_000.0 / Stopwatch.Frequency);
        }
        set.Stop();
        latenciesUs.Sort();
        double median = latenciesUs[latenciesUs.Count / 2];
        output.WriteLine($"wake latency µs: min {latenciesUs[0]:F0}, median {median:F0}, max {latenciesUs[^1]:F0}");
        Assert.True(median < 5_000, $"median wake-up {median:F0} µs");
        Assert.True(latenciesUs[^1] < 500_000, $"slowest wake-up {latenciesUs[^1]:F0} µs: a wake-up was lost");
    }

    private sealed class Source : IShardWorkSource
    {
        public int Pending;
        public long HandledAt;

        public string Name => "io";

        public int DoWork(Shard shard, long nowNs)
        {
            if (Interlocked.Exchange(ref Pending, 0) == 0)
            {
                return 0;
            }
            Volatile.Write(ref HandledAt, Stopwatch.GetTimestamp());
            return 1;
        }
    }

    [Fact]
    public void Wake_MakesAParkedShardPollItsSources()
    {
        // Goal: an external event source can wake its shard without a message. Method: a parked shard, a source with
        // news, Wake(); the source is polled well before the 1 s park timeout.
        using var set = new ShardSet(SleepyOptions());
        var source = new Source();
        set[0].AddWorkSource(source);
        set.Start();
        Assert.True(Wait.Until(() => set[0].Activity == ShardActivity.Parked));
        Volatile.Write(ref source.Pending, 1);
        long at = Stopwatch.GetTimestamp();
        set[0].Wake();
        Assert.True(Wait.Until(() => Volatile.Read(ref source.HandledAt) != 0));
        double ms = (Volatile.Read(ref source.HandledAt) - at) * 1000.0 / Stopwatch.Frequency;
        set.Stop();
        Assert.True(ms < 500, $"source polled {ms:F1} ms after Wake");
    }

    private sealed class DeadlineSource : IShardWorkSource
    {
        public long DueNs;
        public long PolledAtOrAfterDueNs;

        public string Name => "deadline";

        public int DoWork(Shard shard, long nowNs)
        {
            long due = Volatile.Read(ref DueNs);
            if (due == 0 || Volatile.Read(ref PolledAtOrAfterDueNs) != 0)
            {
                return 0;
            }
            if (nowNs >= due)
            {
                Volatile.Write(ref PolledAtOrAfterDueNs, nowNs);
                return 1;
            }
            // Not yet due, and nothing will announce the moment: ask to be polled by then (again on every turn).
            shard.PollBy(due);
            return 0;
        }
    }

    [Fact]
    public void PollBy_CutsTheParkShort()
    {
        // Goal: a source with work due at a known time (a group-commit fdatasync) is polled then although the shard
        // parks for up to 1 s and nothing wakes it. Method: the source asks for a poll 30 ms ahead on every turn; the
        // first poll at or after the deadline comes within 500 ms of it (it would come ~1 s late without PollBy).
        using var set = new ShardSet(SleepyOptions());
        var source = new DeadlineSource();
        set[0].AddWorkSource(source);
        set.Start();
        Assert.True(Wait.Until(() => set[0].Activity == ShardActivity.Parked));
        Volatile.Write(ref source.DueNs, set[0].MonotonicNs + 30_000_000);
        set[0].Wake();
        Assert.True(Wait.Until(() => Volatile.Read(ref source.PolledAtOrAfterDueNs) != 0));
        set.Stop();
        double lateMs = (source.PolledAtOrAfterDueNs - source.DueNs) / 1e6;
        output.WriteLine($"polled {lateMs:F2} ms after the deadline");
        Assert.InRange(lateMs, 0, 500);
    }

    private sealed class TimerProbe : IShardTimerCallback, IShardWork
    {
        public long ScheduledAtMs;
        public long FiredAtMs = -1;
        public int FiredOnThread;
        public Shard? Owner;
        public TimerHandle Cancelled;
        public int CancelledFired;
        public bool CancelWorked;

        public void Execute(Shard shard, in ShardMessage message)
        {
            Owner = shard;
            ScheduledAtMs = shard.NowMs;
            shard.Timers.ScheduleAfter(30, this, null, 1);
            Cancelled = shard.Timers.ScheduleAfter(10, this, null, 2);
            CancelWorked = shard.Timers.Cancel(Cancelled);
        }

        public void OnTimer(TimerHandle handle, object? state, long arg, long nowMs)
        {
            if (arg == 2)
            {
                CancelledFired++;
                return;
            }
            FiredOnThread = Environment.CurrentManagedThreadId;
            Volatile.Write(ref FiredAtMs, nowMs);
        }
    }

    [Fact]
    public void Timer_FiresOnTheShardThread_OnTimeEvenWhileParked_AndCancelledOnesDoNot()
    {
        // Goal: timers cut the park short and run on the shard. Method: from a work item schedule +30 ms and a
        // cancelled +10 ms on a shard that otherwise parks for 1 s; the first fires at 30..300 ms, the other never.
        using var set = new ShardSet(SleepyOptions());
        set.Start();
        var probe = new TimerProbe();
        set.Send(new ShardId(0), new ShardMessage(probe));
        Assert.True(Wait.Until(() => Volatile.Read(ref probe.FiredAtMs) >= 0));
        Thread.Sleep(50);
        set.Stop();
        long delay = probe.FiredAtMs - probe.ScheduledAtMs;
        Assert.InRange(delay, 30, 300);
        Assert.Equal(set[0].ManagedThreadId, probe.FiredOnThread);
        Assert.True(probe.CancelWorked);
        Assert.Equal(0, probe.CancelledFired);
        Assert.Equal(0, set[0].Timers.Count);
    }
}
