using System;
using FastMQ.Core;
using FastMQ.Runtime.Tests.Support;
using Xunit;

namespace FastMQ.Runtime.Tests;

public sealed class ManualModeTests
{
    [Fact]
    public void ManuallyDrivenSet_RunsNothingUntilDoWork_ThenRunsOnTheCallingThread()
    {
        // Goal: a simulator can drive shards deterministically on its own thread. Method: UseDedicatedThreads off;
        // send, see nothing run; DoWork runs it here with Shard.Current set; cross-shard posts need another DoWork;
        // Stop drains what is left.
        var clock = new ManualClock();
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 2, UseDedicatedThreads = false, Clock = clock });
        set.Start();
        int ranOn0 = 0;
        int ranOn1 = 0;
        int thread = -1;
        var onOne = new ActionWork((shard, _) =>
        {
            Assert.Equal(1, shard.Id.Value);
            ranOn1++;
        });
        var onZero = new ActionWork((shard, _) =>
        {
            Assert.Same(shard, Shard.Current);
            thread = Environment.CurrentManagedThreadId;
            ranOn0++;
            shard.Post(new ShardId(1), new ShardMessage(onOne));
        });
        set.Send(new ShardId(0), new ShardMessage(onZero));
        Assert.Equal(0, ranOn0);
        Assert.Equal(1, set[0].DoWork());
        Assert.Equal(1, ranOn0);
        Assert.Equal(Environment.CurrentManagedThreadId, thread);
        Assert.Null(Shard.Current);
        Assert.Equal(0, ranOn1);
        Assert.Equal(1, set[1].DoWork());
        Assert.Equal(1, ranOn1);
        Assert.Equal(0, set[1].DoWork());

        set.Send(new ShardId(0), new ShardMessage(onZero));
        set.Stop();
        Assert.Equal(2, ranOn0);
        Assert.Equal(2, ranOn1);
        Assert.All(set.Shards, s => Assert.Equal(ShardState.Stopped, s.State));
    }

    [Fact]
    public void ManuallyDrivenTimers_FollowTheInjectedClock()
    {
        // Goal: timers use the injected clock (simulated time). Method: schedule +100 ms, advance 99 then 1 ms.
        var clock = new ManualClock();
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 1, UseDedicatedThreads = false, Clock = clock });
        set.Start();
        int fired = 0;
        var callback = new TimerCallback(() => fired++);
        set.Send(new ShardId(0), new ShardMessage(new ActionWork((shard, _) => shard.Timers.ScheduleAfter(100, callback))));
        set[0].DoWork();
        clock.AdvanceMs(99);
        set[0].DoWork();
        Assert.Equal(0, fired);
        clock.AdvanceMs(1);
        Assert.Equal(1, set[0].DoWork());
        Assert.Equal(1, fired);
    }

    [Fact]
    public void DoWork_OnAThreadedShard_IsRefused()
    {
        // Goal: a threaded shard's loop cannot be entered from outside. Method: call DoWork on a started threaded set.
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 1, PinThreads = false });
        set.Start();
        Assert.Throws<InvalidOperationException>(() => set[0].DoWork());
    }

    private sealed class TimerCallback(Action action) : IShardTimerCallback
    {
        public void OnTimer(TimerHandle handle, object? state, long arg, long nowMs) => action();
    }
}
