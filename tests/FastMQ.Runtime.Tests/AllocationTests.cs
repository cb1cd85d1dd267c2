using System;
using System.Threading;
using FastMQ.Core;
using FastMQ.Runtime.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FastMQ.Runtime.Tests;

public sealed class AllocationTests(ITestOutputHelper output)
{
    // Whole-process budget for a measured window: far below one object per message (the smallest object is 24 bytes).
    // The test host serialises results of earlier tests on its own threads now and then (~1 MB at once), so a test
    // measures up to three windows and needs one under budget; an allocation per message would show in every window.
    private const long ProcessBudgetBytes = 64 * 1024;
    private const int Windows = 3;

    /// <summary>Counts messages; stateless apart from the counter, so one instance serves every message.</summary>
    private sealed class Counter : IShardWork
    {
        public long Count;

        public void Execute(Shard shard, in ShardMessage message) => Volatile.Write(ref Count, Count + message.Arg0);
    }

    /// <summary>Records the running shard thread's allocated-bytes counter into slot Arg0.</summary>
    private sealed class AllocationProbe : IShardWork
    {
        public readonly long[] Bytes = new long[8];

        public void Execute(Shard shard, in ShardMessage message) =>
            Volatile.Write(ref Bytes[message.Arg0], GC.GetAllocatedBytesForCurrentThread());
    }

    private static long Probe(ShardSet set, AllocationProbe probe, int shard, int slot)
    {
        Volatile.Write(ref probe.Bytes[slot], -1);
        set.Send(new ShardId(shard), new ShardMessage(probe, 0, slot));
        Assert.True(Wait.Until(() => Volatile.Read(ref probe.Bytes[slot]) >= 0));
        return probe.Bytes[slot];
    }

    [Fact]
    public void SendingFromANonShardThread_AllocatesNothingPerMessage()
    {
        // Goal: the external send path and the shard's drain allocate nothing. Method: after a warm-up, send 200 000
        // messages per window (the 1024-slot mailbox fills, so the waiting path runs too) and compare allocated bytes
        // of this thread, of the shard thread (read by a probe work item) and of the whole process.
        const int Messages = 200_000;
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 1, PinThreads = false, MailboxCapacity = 1024 });
        set.Start();
        var counter = new Counter();
        var probe = new AllocationProbe();
        var target = new ShardId(0);
        for (int i = 0; i < 20_000; i++)
        {
            set.Send(target, new ShardMessage(counter, 0, 1));
        }
        Assert.True(Wait.Until(() => Volatile.Read(ref counter.Count) == 20_000));
        long sent = 20_000;
        long bestProcess = long.MaxValue;
        for (int w = 0; w < Windows && bestProcess >= ProcessBudgetBytes; w++)
        {
            long shardBefore = Probe(set, probe, 0, 0);
            long processBefore = GC.GetTotalAllocatedBytes(precise: true);
            long threadBefore = GC.GetAllocatedBytesForCurrentThread();

            for (int i = 0; i < Messages; i++)
            {
                set.Send(target, new ShardMessage(counter, 0, 1));
            }

            long threadAllocated = GC.GetAllocatedBytesForCurrentThread() - threadBefore;
            sent += Messages;
            Assert.True(Wait.Until(() => Volatile.Read(ref counter.Count) == sent));
            long shardAllocated = Probe(set, probe, 0, 1) - shardBefore;
            long processAllocated = GC.GetTotalAllocatedBytes(precise: true) - processBefore;
            output.WriteLine($"window {w}: sender {threadAllocated} B, shard {shardAllocated} B, process {processAllocated} B, blocked sends {set[0].BlockedSends}");
            Assert.Equal(0, threadAllocated);
            Assert.Equal(0, shardAllocated);
            bestProcess = Math.Min(bestProcess, processAllocated);
        }
        set.Stop();
        Assert.True(bestProcess < ProcessBudgetBytes, $"process allocated at least {bestProcess} B per {Messages} messages");
    }

    /// <summary>
    /// The broker's pattern: a pooled request runs on the partition's owner, then posts itself back to the shard that
    /// asked, which returns it to its pool.
    /// </summary>
    private sealed class Request : IShardWork
    {
        public const int KindRequest = 1;
        public const int KindReply = 2;

        public Driver? Owner;
        public long Partition;
        public long Result;

        public void Execute(Shard shard, in ShardMessage message)
        {
            if (message.Kind == KindRequest)
            {
                Result = Partition * 2;
                shard.Post(message.ReplyTo, new ShardMessage(this, KindReply, shard.Id, Partition));
            }
            else
            {
                Owner!.Complete(this);
            }
        }
    }

    /// <summary>Work source on shard 0 keeping up to 32 requests in flight to shard 1 until <see cref="Target"/> completed.</summary>
    private sealed class Driver : IShardWorkSource
    {
        public readonly ShardLocalPool<Request> Pool = new(() => new Request(), capacity: 64, prefill: 64);
        public long Target;
        public long Completed;
        public long Errors;
        private long _issued;
        private int _inFlight;

        public string Name => "driver";

        public int DoWork(Shard shard, long nowNs)
        {
            int work = 0;
            long target = Volatile.Read(ref Target);
            while (_issued < target && _inFlight < 32)
            {
                Request r = Pool.Rent();
                r.Owner = this;
                r.Partition = _issued;
                shard.Post(new ShardId(1), new ShardMessage(r, Request.KindRequest, shard.Id, r.Partition));
                _issued++;
                _inFlight++;
                work++;
            }
            return work;
        }

        public void Complete(Request r)
        {
            if (r.Result != r.Partition * 2)
            {
                Errors++;
            }
            _inFlight--;
            Pool.Return(r);
            Volatile.Write(ref Completed, Completed + 1);
        }
    }

    [Fact]
    public void CrossShardRequestReply_WithPooledWorkItems_AllocatesNothing()
    {
        // Goal: "run this on partition P's shard, post the result back" costs no allocation. Method: shard 0 drives
        // 100 000 pooled request/reply round trips through shard 1 after a warm-up; measure both shard threads and
        // the process; the pool never misses.
        const long Warmup = 10_000;
        const long Measured = 100_000;
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 2, PinThreads = false, MailboxCapacity = 16 });
        var driver = new Driver();
        set[0].AddWorkSource(driver);
        var probe = new AllocationProbe();
        set.Start();
        Volatile.Write(ref driver.Target, Warmup);
        set[0].Wake();
        Assert.True(Wait.Until(() => Volatile.Read(ref driver.Completed) == Warmup));
        long target = Warmup;
        long bestProcess = long.MaxValue;
        for (int w = 0; w < Windows && bestProcess >= ProcessBudgetBytes; w++)
        {
            long shard0Before = Probe(set, probe, 0, 0);
            long shard1Before = Probe(set, probe, 1, 1);
            long processBefore = GC.GetTotalAllocatedBytes(precise: true);

            target += Measured;
            Volatile.Write(ref driver.Target, target);
            set[0].Wake();
            Assert.True(Wait.Until(() => Volatile.Read(ref driver.Completed) == target, 30_000));

            long processAllocated = GC.GetTotalAllocatedBytes(precise: true) - processBefore;
            long shard0Allocated = Probe(set, probe, 0, 2) - shard0Before;
            long shard1Allocated = Probe(set, probe, 1, 3) - shard1Before;
            output.WriteLine($"window {w}: shard0 {shard0Allocated} B, shard1 {shard1Allocated} B, process {processAllocated} B, outbox high-water {set[0].OutboxHighWater}/{set[1].OutboxHighWater}");
            Assert.Equal(0, shard0Allocated);
            Assert.Equal(0, shard1Allocated);
            bestProcess = Math.Min(bestProcess, processAllocated);
        }
        set.Stop();
        Assert.Equal(0, driver.Errors);
        Assert.Equal(0, driver.Pool.Misses);
        Assert.True(bestProcess < ProcessBudgetBytes, $"process allocated at least {bestProcess} B per {Measured} round trips");
    }
}
