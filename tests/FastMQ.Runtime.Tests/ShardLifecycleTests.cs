using System;
using System.Collections.Concurrent;
using System.Threading;
using FastMQ.Core;
using FastMQ.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FastMQ.Runtime.Tests;

public sealed class ShardLifecycleTests
{
    private static ShardSetOptions Options(int shards) => new() { ShardCount = shards, PinThreads = false };

    [Fact]
    public void WorkItems_RunOnTheOwningShardsThread()
    {
        // Goal: all work for a partition runs on its owner's thread. Method: 3 shards, send from the test thread to the
        // owner of 30 partitions; each item records the thread it ran on and Shard.Current.
        using var set = new ShardSet(Options(3));
        set.Start();
        var seen = new ConcurrentQueue<(int Partition, ShardId Owner, string? ThreadName, int ThreadId, Shard? Current, Shard Arg)>();
        var work = new ActionWork((shard, m) =>
            seen.Enqueue(((int)m.Arg0, new ShardId((int)m.Arg1), Thread.CurrentThread.Name, Environment.CurrentManagedThreadId, Shard.Current, shard)));
        for (int p = 0; p < 30; p++)
        {
            ShardId owner = set.OwnerOf("orders", new PartitionId(p));
            set.Send(owner, new ShardMessage(work, 0, p, owner.Value));
        }
        Assert.True(Wait.Until(() => seen.Count == 30));
        set.Stop();
        int[] perShard = new int[3];
        foreach (var s in seen)
        {
            Shard owner = set[s.Owner];
            Assert.Equal($"fastmq-shard-{s.Owner.Value}", s.ThreadName);
            Assert.Equal(owner.ManagedThreadId, s.ThreadId);
            Assert.NotEqual(Environment.CurrentManagedThreadId, s.ThreadId);
            Assert.Same(owner, s.Current);
            Assert.Same(owner, s.Arg);
            perShard[s.Owner.Value]++;
        }
        Assert.All(perShard, c => Assert.Equal(10, c));
        Assert.Null(Shard.Current);
    }

    [Fact]
    public void WorkItemException_IsLoggedAndCounted_AndTheLoopContinues()
    {
        // Goal: a throwing work item does not kill the shard. Method: item 2 of 5 throws; all others run, the failure
        // is counted and logged with its exception.
        var log = new ListLogger();
        using var set = new ShardSet(Options(1), log);
        set.Start();
        int ran = 0;
        var work = new ActionWork((_, m) =>
        {
            if (m.Arg0 == 2)
            {
                throw new InvalidOperationException("bad record");
            }
            Interlocked.Increment(ref ran);
        });
        for (int i = 0; i < 5; i++)
        {
            set.Send(new ShardId(0), new ShardMessage(work, 7, i));
        }
        Assert.True(Wait.Until(() => set[0].MessagesProcessed == 5));
        set.Stop();
        Assert.Equal(4, ran);
        Assert.Equal(1, set[0].WorkItemFailures);
        Assert.Equal(ShardState.Stopped, set[0].State);
        LogEntry entry = Assert.Single(log.Snapshot(), e => e.Level == LogLevel.Error);
        Assert.Contains("kind 7", entry.Message, StringComparison.Ordinal);
        Assert.Equal("bad record", entry.Exception!.Message);
    }

    private sealed class ThrowingSource : IShardWorkSource
    {
        public int Armed;

        public string Name => "storage";

        public int DoWork(Shard shard, long nowNs) =>
            Volatile.Read(ref Armed) != 0 ? throw new System.IO.IOException("device lost") : 0;
    }

    [Fact]
    public void WorkSourceException_IsFatal_AndReportedEverywhere()
    {
        // Goal: a fatal error is reported, not swallowed. Method: a work source throws; check state, Fault, the fatal
        // handler, the critical log, that sends now fail, and that Stop rethrows.
        var log = new ListLogger();
        Exception? reported = null;
        var options = Options(2);
        options.OnFatalError = (shard, ex) => Volatile.Write(ref reported, ex);
        var set = new ShardSet(options, log);
        var source = new ThrowingSource();
        set[1].AddWorkSource(source);
        set.Start();
        Volatile.Write(ref source.Armed, 1);
        set[1].Wake();
        Assert.True(Wait.Until(() => set[1].State == ShardState.Faulted));
        Assert.IsType<System.IO.IOException>(set[1].Fault);
        Assert.True(Wait.Until(() => Volatile.Read(ref reported) is not null));
        Assert.Same(set[1].Fault, reported);
        Assert.True(log.Any(LogLevel.Critical, "Shard 1 died during WorkSource (storage)"));
        Assert.Equal(ShardActivity.Exited, set[1].Activity);
        var work = new ActionWork((_, _) => { });
        Assert.Throws<ShardFaultedException>(() => set.Send(new ShardId(1), new ShardMessage(work)));
        Assert.Equal(ShardState.Running, set[0].State);
        var stopError = Assert.Throws<ShardFaultedException>(set.Stop);
        Assert.Same(set[1].Fault, stopError.InnerException);
        Assert.Equal(ShardState.Stopped, set[0].State);
        set.Dispose();
    }

    [Fact]
    public void ShardFatalException_FromAWorkItem_StopsTheShard()
    {
        // Goal: a work item can escalate. Method: throw ShardFatalException; the shard faults instead of going on.
        using var set = new ShardSet(Options(1));
        set.Start();
        set.Send(new ShardId(0), new ShardMessage(new ActionWork((_, _) => throw new ShardFatalException("log corrupt"))));
        Assert.True(Wait.Until(() => set[0].State == ShardState.Faulted));
        Assert.Equal("log corrupt", set[0].Fault!.Message);
        Assert.Throws<ShardFaultedException>(set.Stop);
    }

    [Fact]
    public void Stop_DrainsTheMailbox_IncludingShardToShardChains()
    {
        // Goal: stop loses nothing already sent. Method: send 2 000 items that each bounce 5 times between two shards,
        // call Stop right away, and count completed chains.
        using var set = new ShardSet(Options(2));
        set.Start();
        int completed = 0;
        ActionWork? bounce = null;
        bounce = new ActionWork((shard, m) =>
        {
            if (m.Arg0 == 0)
            {
                Interlocked.Increment(ref completed);
                return;
            }
            shard.Post(new ShardId(1 - shard.Id.Value), new ShardMessage(bounce!, 0, m.Arg0 - 1));
        });
        for (int i = 0; i < 2_000; i++)
        {
            set.Send(new ShardId(i % 2), new ShardMessage(bounce, 0, 5));
        }
        set.Stop();
        Assert.Equal(2_000, Volatile.Read(ref completed));
        Assert.All(set.Shards, s => Assert.Equal(ShardState.Stopped, s.State));
        Assert.All(set.Shards, s => Assert.Equal(0, s.MailboxCount));
        var ex = Assert.Throws<InvalidOperationException>(() => set.Send(new ShardId(0), new ShardMessage(bounce)));
        Assert.Contains("shard 0 is stopped", ex.Message, StringComparison.Ordinal);
    }

    private sealed class CountingSource : IShardWorkSource
    {
        public long Calls;

        public string Name => "counter";

        public int DoWork(Shard shard, long nowNs)
        {
            Interlocked.Increment(ref Calls);
            return 0;
        }
    }

    [Fact]
    public void Counters_AndWorkSources_AreVisibleFromOutside()
    {
        // Goal: a stall detector can watch a shard. Method: a registered source is polled; turns and turn timestamps
        // advance; an idle shard reports Parked; adding a source after start off the shard thread is refused.
        var clock = SystemClock.Instance;
        using var set = new ShardSet(Options(1));
        var source = new CountingSource();
        set[0].AddWorkSource(source);
        set.Start();
        Assert.True(Wait.Until(() => Interlocked.Read(ref source.Calls) > 10));
        long turns = set[0].Turns;
        Assert.True(turns > 0);
        Assert.True(set[0].LastTurnStartNs <= clock.MonotonicNs);
        Assert.True(Wait.Until(() => set[0].Activity == ShardActivity.Parked && set[0].Parks > 0));
        Assert.True(Wait.Until(() => set[0].Turns > turns));
        Assert.Throws<InvalidOperationException>(() => set[0].AddWorkSource(new CountingSource()));
        var added = new CountingSource();
        set.Send(new ShardId(0), new ShardMessage(new ActionWork((shard, _) => shard.AddWorkSource(added))));
        Assert.True(Wait.Until(() => Interlocked.Read(ref added.Calls) > 0));
        set.Stop();
    }

    [Fact]
    public void Post_FromANonShardThread_IsRefused()
    {
        // Goal: the outbox is single-threaded. Method: call Post from the test thread.
        using var set = new ShardSet(Options(1));
        var ex = Assert.Throws<InvalidOperationException>(() =>
            set[0].Post(new ShardId(0), new ShardMessage(new ActionWork((_, _) => { }))));
        Assert.Contains("own thread", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => set.Send(new ShardId(0), default));
    }
}
