using System;
using System.Threading;
using FastMQ.Core;
using FastMQ.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FastMQ.Runtime.Tests;

public sealed class ShardStallDetectorTests
{
    private const int ThresholdMs = 100;

    /// <summary>Blocks its shard for Arg0 milliseconds (what a buggy work item does).</summary>
    private sealed class SleepingWork : IShardWork
    {
        public int Completed;

        public void Execute(Shard shard, in ShardMessage message)
        {
            if (message.Arg0 > 0)
            {
                Thread.Sleep((int)message.Arg0);
            }
            Interlocked.Increment(ref Completed);
        }
    }

    /// <summary>A work source that blocks its shard once, on request.</summary>
    private sealed class BlockingSource : IShardWorkSource
    {
        public int BlockMs;

        public string Name => "blocking-test-source";

        public int DoWork(Shard shard, long nowNs)
        {
            int ms = Interlocked.Exchange(ref BlockMs, 0);
            if (ms > 0)
            {
                Thread.Sleep(ms);
                return 1;
            }
            return 0;
        }
    }

    private static ShardSet NewSet(ListLogger log) =>
        new(new ShardSetOptions { ShardCount = 2, PinThreads = false }, log);

    [Fact]
    public void SleepingWorkItem_IsReportedOnceWithItsTypeAndKind_AndRecovery()
    {
        // Goal: a work item that blocks its shard beyond the threshold gives exactly one warning naming the item and
        // its message kind, one counted stall on that shard only, and a recovery log. Method: real shard threads, a
        // detector with a 100 ms threshold, one work item sleeping 450 ms (several checks see the same stall).
        var log = new ListLogger();
        using ShardSet set = NewSet(log);
        set.Start();
        using var detector = new ShardStallDetector(set, ThresholdMs, log.CreateLogger("test"));
        detector.Start();
        var work = new SleepingWork();

        set.Send(new ShardId(1), new ShardMessage(work, 7, 450));

        Assert.True(Wait.Until(() => detector.IsStalled(1), 2_000), "the stall was not detected");
        Assert.True(Wait.Until(() => Volatile.Read(ref work.Completed) == 1, 5_000));
        Assert.True(Wait.Until(() => !detector.IsStalled(1), 2_000), "the stall did not end after the work item returned");
        Assert.Equal(1, detector.Stalls);
        Assert.Equal(1, detector.StallsOf(1));
        Assert.Equal(0, detector.StallsOf(0));
        // Counters change before the lines are written: wait for the lines.
        Assert.True(Wait.Until(() => log.Any(LogLevel.Warning, "running work item SleepingWork (kind 7)"), 2_000), string.Join("\n", log.Snapshot()));
        Assert.True(Wait.Until(() => log.Any(LogLevel.Warning, "Shard 1 has not completed a loop turn"), 2_000));
        Assert.True(Wait.Until(() => log.Any(LogLevel.Information, "Shard 1 moved on after a stall"), 2_000));
        set.Stop();
    }

    [Fact]
    public void IdleAndBusyShards_AreNotStalls_ButABlockingWorkSourceIs()
    {
        // Goal: parked shards (long sleeps between turns) and shards doing many short turns never count as stalled,
        // while a work source that blocks is reported by name. Method: 400 ms of idle set, then 20,000 tiny work items
        // on both shards (many turns, each well under the threshold), then one 3 s block inside a work source (threshold 1.5 s).
        var log = new ListLogger();
        using ShardSet set = NewSet(log);
        var source = new BlockingSource();
        set[0].AddWorkSource(source);
        set.Start();
        // A wide threshold here: the suite runs many processes on 2 shared cores (load averages above 10), and a shard
        // thread descheduled for a few hundred ms is a genuine (if external) stall that this test does not mean to provoke.
        using var detector = new ShardStallDetector(set, 1_500, log.CreateLogger("test"));
        detector.Start();

        Thread.Sleep(400);
        var work = new SleepingWork();
        for (int i = 0; i < 20_000; i++)
        {
            set.Send(new ShardId(i % 2), new ShardMessage(work, 1, 0));
        }
        Assert.True(Wait.Until(() => Volatile.Read(ref work.Completed) == 20_000, 10_000));
        Assert.Equal(0, detector.Stalls);

        Volatile.Write(ref source.BlockMs, 3_000);
        set[0].Wake();
        Assert.True(Wait.Until(() => detector.StallsOf(0) == 1, 4_000), "the blocking work source was not reported");
        Assert.Equal(0, detector.StallsOf(1));
        // The detector counts the stall, then logs it: wait for the line rather than racing the counter.
        Assert.True(Wait.Until(() => log.Any(LogLevel.Warning, "polling work source 'blocking-test-source'"), 2_000), string.Join("\n", log.Snapshot()));
        Assert.True(Wait.Until(() => !detector.IsStalled(0), 4_000));
        set.Stop();
    }

    [Fact]
    public void InvalidThreshold_IsRejected()
    {
        // Goal: a threshold below 1 ms is a configuration error, not a detector that fires on every turn. Method: construct one.
        var log = new ListLogger();
        using ShardSet set = NewSet(log);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ShardStallDetector(set, 0, log.CreateLogger("test")));
        Assert.Contains("≥ 1 ms", e.Message, StringComparison.Ordinal);
    }
}
