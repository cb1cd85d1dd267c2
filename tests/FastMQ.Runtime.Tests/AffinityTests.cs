using System;
using System.IO;
using FastMQ.Core;
using FastMQ.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FastMQ.Runtime.Tests;

public sealed class AffinityTests
{
    private static string CpusAllowedList()
    {
        foreach (string line in File.ReadAllLines("/proc/thread-self/status"))
        {
            if (line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
            {
                return line["Cpus_allowed_list:".Length..].Trim();
            }
        }
        throw new InvalidOperationException("no Cpus_allowed_list in /proc/thread-self/status");
    }

    private static string RunOnShard(ShardSet set, int shard)
    {
        string? result = null;
        set.Send(new ShardId(shard), new ShardMessage(new ActionWork((_, _) => result = CpusAllowedList())));
        Assert.True(Wait.Until(() => result is not null));
        return result!;
    }

    [Fact]
    public void Shards_ArePinnedToTheirCpus()
    {
        // Goal: each shard thread is pinned. Method: two shards on CPUs 1 and 0; each reads its own kernel
        // affinity (Cpus_allowed_list of /proc/thread-self) from inside a work item.
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 2, Cpus = [1, 0] });
        set.Start();
        Assert.Equal("1", RunOnShard(set, 0));
        Assert.Equal("0", RunOnShard(set, 1));
        Assert.Equal(1, set[0].PinnedCpu);
        Assert.Equal(0, set[1].PinnedCpu);
        set.Stop();
        // The pinning is the shard thread's own: the test thread keeps its mask.
        Assert.NotEqual("1", CpusAllowedList());
    }

    [Fact]
    public void DefaultCpus_FollowTheProcessMask()
    {
        // Goal: without a CPU list, shard i gets the i-th allowed CPU. Method: two shards on this 2-CPU machine.
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 2 });
        set.Start();
        Assert.Equal(set[0].Cpu.ToString(System.Globalization.CultureInfo.InvariantCulture), RunOnShard(set, 0));
        Assert.Equal(set[1].Cpu.ToString(System.Globalization.CultureInfo.InvariantCulture), RunOnShard(set, 1));
        Assert.NotEqual(set[0].Cpu, set[1].Cpu);
        set.Stop();
    }

    [Fact]
    public void PinningToACpuOutsideTheSet_FailsSoft()
    {
        // Goal: a bad CPU does not stop the broker. Method: ask for CPU 63 (not in this machine's set); the shard
        // runs unpinned with the process's mask, reports PinnedCpu −1 and logs a warning naming the CPU.
        var log = new ListLogger();
        using var set = new ShardSet(new ShardSetOptions { ShardCount = 1, Cpus = [63] }, log);
        set.Start();
        Assert.Equal(CpusAllowedList(), RunOnShard(set, 0));
        Assert.Equal(-1, set[0].PinnedCpu);
        Assert.Equal(ShardState.Running, set[0].State);
        Assert.True(log.Any(LogLevel.Warning, "Cannot pin shard thread to CPU 63"));
        set.Stop();
    }
}
