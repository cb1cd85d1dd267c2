using System.Collections.Generic;
using FastMQ.PerfHarness.Workload;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Harness;

public sealed class MessageSourceTests
{
    [Fact]
    public void NullKeysGoRoundRobinOverThePartitions()
    {
        // Goal: --keys 0 spreads messages evenly. Method: 1,200 messages over 12 partitions: 100 each, key null.
        var source = new MessageSource(SizeDistribution.Parse("1024"), 0, 12, 0);
        int[] counts = new int[12];
        for (int i = 0; i < 1200; i++)
        {
            byte[] v = source.Next(out byte[]? key, out int p);
            Assert.Null(key);
            Assert.Equal(1024, v.Length);
            counts[p]++;
        }
        Assert.All(counts, c => Assert.Equal(100, c));
    }

    [Fact]
    public void KeyedMessagesUseTheKeysMurmur2PartitionAndTheGivenCardinality()
    {
        // Goal: --keys N uses N distinct keys placed by murmur2. Method: 20,000 draws with 50 keys; check placement and count.
        var source = new MessageSource(SizeDistribution.Parse("uniform:100-200"), 50, 7, 1);
        var distinct = new HashSet<string>();
        for (int i = 0; i < 20_000; i++)
        {
            byte[] v = source.Next(out byte[]? key, out int p);
            Assert.NotNull(key);
            Assert.Equal(Murmur2.Partition(key, 7), p);
            Assert.InRange(v.Length, 100, 200);
            distinct.Add(System.Text.Encoding.ASCII.GetString(key));
        }
        Assert.Equal(50, distinct.Count);
    }
}
