using System;
using System.Text;
using FastMQ.Core;
using Xunit;

namespace FastMQ.Runtime.Tests;

public sealed class ShardRoutingTests
{
    private static ShardSet NewSet(int shards) =>
        new(new ShardSetOptions { ShardCount = shards, PinThreads = false });

    [Fact]
    public void OwnerOf_IsStableAcrossSets_AndTheStringAndUtf8FormsAgree()
    {
        // Goal: every process maps a partition to the same shard. Method: two independent sets, both overloads, many names.
        using ShardSet a = NewSet(7);
        using ShardSet b = NewSet(7);
        string[] topics = ["orders", "payments.v2", "a", "x-y_z.0", new string('t', 249), "überweisung"];
        foreach (string topic in topics)
        {
            for (int p = 0; p < 50; p++)
            {
                ShardId owner = a.OwnerOf(topic, new PartitionId(p));
                Assert.InRange(owner.Value, 0, 6);
                Assert.Equal(owner, b.OwnerOf(topic, new PartitionId(p)));
                Assert.Equal(owner, b.OwnerOf(Encoding.UTF8.GetBytes(topic), new PartitionId(p)));
            }
        }
    }

    [Fact]
    public void OwnerOf_SpreadsATopicsPartitionsRoundRobin_AndTopicsAcrossShards()
    {
        // Goal: balance. Method: consecutive partitions go to consecutive shards; 400 single-partition topics cover
        // all 4 shards with no shard holding more than twice its share.
        using ShardSet set = NewSet(4);
        ShardId first = set.OwnerOf("events", new PartitionId(0));
        for (int p = 1; p < 12; p++)
        {
            Assert.Equal((first.Value + p) % 4, set.OwnerOf("events", new PartitionId(p)).Value);
        }
        int[] counts = new int[4];
        for (int t = 0; t < 400; t++)
        {
            counts[set.OwnerOf($"topic-{t}", new PartitionId(0)).Value]++;
        }
        foreach (int c in counts)
        {
            Assert.InRange(c, 50, 200);
        }
    }

    [Fact]
    public void OwnerOf_RejectsNegativePartitions_AndUnknownShardsAreNamed()
    {
        // Goal: bad input gives a precise error. Method: negative partition index; indexing past the last shard.
        using ShardSet set = NewSet(2);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => set.OwnerOf("t", new PartitionId(-1)));
        Assert.Contains("must be ≥ 0", ex.Message, StringComparison.Ordinal);
        var ex2 = Assert.Throws<ArgumentOutOfRangeException>(() => set[5]);
        Assert.Contains("no shard 5", ex2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_AreValidatedWithTheirNames()
    {
        // Goal: configuration errors name the option. Method: construct with invalid values.
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ShardSet(new ShardSetOptions { ShardCount = 0 }));
        Assert.Contains("ShardSetOptions.ShardCount", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ShardSet(new ShardSetOptions { ShardCount = 1, IdleParkMs = 0 }));
        Assert.Contains("ShardSetOptions.IdleParkMs", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessorCount, new ShardSetOptions().ShardCount);
    }
}
