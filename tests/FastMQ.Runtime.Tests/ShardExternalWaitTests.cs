using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using FastMQ.Core;
using FastMQ.Runtime.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FastMQ.Runtime.Tests;

public sealed class ShardExternalWaitTests(ITestOutputHelper output)
{
    /// <summary>An idle strategy that sleeps in a wait of its own (as the io_uring one sleeps in io_uring_enter).</summary>
    private sealed class OwnWaitIdle : IIdleStrategy, IShardWakeSignal
    {
        private readonly Shard _shard;
        private readonly SemaphoreSlim _line = new(0);
        public int Signals;
        public int Sleeps;

        public OwnWaitIdle(Shard shard)
        {
            _shard = shard;
            shard.SetWakeSignal(this);
        }

        public void Idle(int workCount)
        {
            if (workCount == 0 && _shard.TryBeginExternalWait())
            {
                Interlocked.Increment(ref Sleeps);
                // 1 s: a lost wake-up shows as ~1,000 ms, far above every bound asserted.
                _ = _line.Wait(1000);
                _shard.EndExternalWait();
            }
        }

        public void Reset()
        {
        }

        public void Signal()
        {
            Interlocked.Increment(ref Signals);
            _line.Release();
        }
    }

    private sealed class Stamp : IShardWork
    {
        public long RanAt;

        public void Execute(Shard shard, in ShardMessage message) => Volatile.Write(ref RanAt, Stopwatch.GetTimestamp());
    }

    [Fact]
    public void ShardInExternalWait_IsWokenThroughItsSignal()
    {
        // Goal: a shard sleeping in its idle strategy's own wait wakes on a posted message via the wake signal (the
        // eventfd path of the io_uring transport). Method: 30 times, wait until it sleeps, send, measure send → run;
        // every sample far below the 1 s wait (no lost wake-up) and the signal used.
        OwnWaitIdle? idle = null;
        using var set = new ShardSet(new ShardSetOptions
        {
            ShardCount = 1,
            PinThreads = false,
            IdleStrategyFactory = s => idle = new OwnWaitIdle(s),
        });
        set.Start();
        Shard shard = set[0];
        var stamp = new Stamp();
        var latenciesUs = new List<double>();
        for (int i = 0; i < 30; i++)
        {
            Assert.True(Wait.Until(() => shard.Activity == ShardActivity.Parked));
            Volatile.Write(ref stamp.RanAt, 0);
            long sentAt = Stopwatch.GetTimestamp();
            set.Send(new ShardId(0), new ShardMessage(stamp));
            Assert.True(Wait.Until(() => Volatile.Read(ref stamp.RanAt) != 0));
            latenciesUs.Add((Volatile.Read(ref stamp.RanAt) - sentAt) * 1_000_000.0 / Stopwatch.Frequency);
        }
        set.Stop();
        latenciesUs.Sort();
        output.WriteLine($"external-wait wake latency µs: min {latenciesUs[0]:F0}, median {latenciesUs[15]:F0}, max {latenciesUs[^1]:F0}; signals {idle!.Signals}");
        Assert.True(latenciesUs[^1] < 500_000, $"slowest wake-up {latenciesUs[^1]:F0} µs: a wake-up was lost");
        Assert.True(idle.Signals >= 30, $"{idle.Signals} signals for 30 messages sent to a sleeping shard");
    }

    [Fact]
    public void TryBeginExternalWait_WithPendingMessage_RefusesToSleep()
    {
        // Goal: the Dekker check: a message already in the mailbox means "do not sleep". Method: a manual set (no
        // thread): post, then ask to begin a wait on that shard.
        using var set = new ShardSet(new ShardSetOptions
        {
            ShardCount = 1,
            UseDedicatedThreads = false,
            IdleStrategyFactory = s => new OwnWaitIdle(s),
        });
        set.Start();
        Shard shard = set[0];
        Assert.True(shard.TryBeginExternalWait());
        shard.EndExternalWait();
        set.Send(new ShardId(0), new ShardMessage(new Stamp()));
        Assert.False(shard.TryBeginExternalWait());
    }

    [Fact]
    public void SetWakeSignal_Twice_Throws()
    {
        // Goal: one wake line per shard. Method: the factory installs one; a second install fails clearly.
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 1, UseDedicatedThreads = false, IdleStrategyFactory = s => new OwnWaitIdle(s) });
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => set[0].SetWakeSignal(new OwnWaitIdle2()));
        Assert.Contains("already has a wake signal", e.Message, StringComparison.Ordinal);
    }

    private sealed class OwnWaitIdle2 : IShardWakeSignal
    {
        public void Signal()
        {
        }
    }
}
