using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Groups;
using Xunit;
using FmConsumer = FastMQ.Client.Consumer;
using FmRecord = FastMQ.Client.ConsumeRecord;
using TopicPartition = FastMQ.Client.TopicPartition;
using TopicPartitionOffset = FastMQ.Client.TopicPartitionOffset;

namespace FastMQ.IntegrationTests.Client.Consumer;

/// <summary>FastMQ.Client consumers in consumer groups on a real broker process, alone and mixed with librdkafka.</summary>
public sealed class ConsumerGroupTests
{
    [Theory]
    [InlineData("range")]
    [InlineData("cooperative-sticky")]
    public void MixedGroup_FastMqAndConfluent_ShareThePartitions(string strategy)
    {
        // Goal: a FastMQ.Client member and a Confluent.Kafka (librdkafka) member of one group, same assignor, split the
        // partitions and every partition's records are read by exactly one of them. Method: 6 partitions x 50 records;
        // poll both until their assignments are disjoint and complete and all 300 records were read.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        string topic = "mixed-" + strategy;
        Support.KafkaClients.CreateTopic(broker.BootstrapServers, topic, 6);
        string group = "g-mixed-" + strategy;
        using FmConsumer fast = ConsumerTestSupport.Create(broker.BootstrapServers, group, c => c.PartitionAssignmentStrategy = strategy);
        using IConsumer<byte[], byte[]> rd = GroupTestSupport.Member(broker.BootstrapServers, group,
            c => c.PartitionAssignmentStrategy = strategy == "range" ? PartitionAssignmentStrategy.Range : PartitionAssignmentStrategy.CooperativeSticky);
        fast.Subscribe(topic);
        rd.Subscribe(topic);
        // Records are produced once the group has settled: records read by the first member before a (cooperative)
        // rebalance moves their partition would be read again by the next owner from the uncommitted position, which
        // is at-least-once working as specified, not the split this test is about.
        var settle = Stopwatch.StartNew();
        bool settled = false;
        while (!settled && settle.Elapsed < TimeSpan.FromSeconds(30))
        {
            _ = fast.Consume(TimeSpan.FromMilliseconds(20), out FmRecord _);
            _ = rd.Consume(TimeSpan.FromMilliseconds(20));
            var f = fast.Assignment.Select(tp => tp.Partition).ToList();
            var l = rd.Assignment.Select(tp => tp.Partition.Value).ToList();
            settled = f.Count > 0 && l.Count > 0 && f.Concat(l).Order().SequenceEqual(Enumerable.Range(0, 6));
        }
        Assert.True(settled, $"the group never split the partitions: fastmq [{string.Join(",", fast.Assignment)}] librdkafka [{string.Join(",", rd.Assignment)}]");
        GroupTestSupport.Produce(broker.BootstrapServers, topic, 6, 50);
        var readBy = new ConcurrentDictionary<(int Partition, long Offset), string>();
        var duplicates = new List<string>();
        var sw = Stopwatch.StartNew();
        bool done = false;
        while (!done && sw.Elapsed < TimeSpan.FromSeconds(45))
        {
            if (fast.Consume(TimeSpan.FromMilliseconds(20), out FmRecord r) && !readBy.TryAdd((r.Partition, r.Offset), "fastmq"))
            {
                duplicates.Add($"fastmq {r.Partition}@{r.Offset}");
            }
            ConsumeResult<byte[], byte[]>? c = rd.Consume(TimeSpan.FromMilliseconds(20));
            if (c is not null && !c.IsPartitionEOF && !readBy.TryAdd((c.Partition.Value, c.Offset.Value), "librdkafka"))
            {
                duplicates.Add($"librdkafka {c.Partition.Value}@{c.Offset.Value}");
            }
            var fastParts = fast.Assignment.Select(tp => tp.Partition).ToList();
            var rdParts = rd.Assignment.Select(tp => tp.Partition.Value).ToList();
            done = readBy.Count == 300 && fastParts.Count > 0 && rdParts.Count > 0
                && fastParts.Concat(rdParts).Order().SequenceEqual(Enumerable.Range(0, 6));
        }
        string state = $"fastmq [{string.Join(",", fast.Assignment)}] librdkafka [{string.Join(",", rd.Assignment)}] read {readBy.Count}";
        Assert.True(done, state + "\n" + broker.Output);
        Assert.Empty(duplicates);
        // Each partition was read by one member only (no partition is split between readers).
        foreach (IGrouping<int, KeyValuePair<(int Partition, long Offset), string>> p in readBy.GroupBy(e => e.Key.Partition))
        {
            Assert.Single(p.Select(e => e.Value).Distinct());
            Assert.Equal(50, p.Count());
        }
        Assert.Equal(3, fast.Assignment.Count);
        rd.Close();
    }

    [Fact]
    public void Range_JoinAndLeave_RebalancesWithCallbacks()
    {
        // Goal: eager rebalancing between FastMQ.Client members: a second member joining takes half the partitions
        // (the first sees all revoked then half assigned); when it closes (LeaveGroup), the first gets all back quickly.
        // Method: two consumers on a 4-partition topic, polled in turn; callback lists recorded.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        Support.KafkaClients.CreateTopic(broker.BootstrapServers, "rb", 4);
        using FmConsumer a = ConsumerTestSupport.Create(broker.BootstrapServers, "g-rb");
        var events = new List<string>();
        a.PartitionsAssigned += (_, ps) => events.Add("assigned " + string.Join(",", ps.Select(p => p.Partition)));
        a.PartitionsRevoked += (_, ps) => events.Add("revoked " + string.Join(",", ps.Select(p => p.Partition)));
        a.Subscribe("rb");
        Assert.True(PollUntil([a], () => a.Assignment.Count == 4, TimeSpan.FromSeconds(20)), string.Join("; ", events));
        Assert.Equal(["assigned 0,1,2,3"], events);
        int firstGeneration = a.GenerationId;

        var b = ConsumerTestSupport.Create(broker.BootstrapServers, "g-rb");
        b.Subscribe("rb");
        Assert.True(PollUntil([a, b], () => a.Assignment.Count == 2 && b.Assignment.Count == 2, TimeSpan.FromSeconds(30)),
            $"a [{string.Join(",", a.Assignment)}] b [{string.Join(",", b.Assignment)}]");
        Assert.True(a.GenerationId > firstGeneration);
        // Range in member-id order gives one member 0,1 and the other 2,3, whichever id sorts first.
        string aParts = string.Join(",", a.Assignment.Select(p => p.Partition));
        Assert.Contains(aParts, new[] { "0,1", "2,3" });
        Assert.Equal(["assigned 0,1,2,3", "revoked 0,1,2,3", "assigned " + aParts], events.Take(3));
        Assert.Empty(a.Assignment.Intersect(b.Assignment));
        var sw = Stopwatch.StartNew();
        b.Dispose(); // LeaveGroup: no waiting for the session timeout
        Assert.True(PollUntil([a], () => a.Assignment.Count == 4, TimeSpan.FromSeconds(20)));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(6), $"rebalance after leave took {sw.Elapsed}");
    }

    [Fact]
    public void CooperativeSticky_Join_RevokesOnlyMovedPartitions()
    {
        // Goal: with cooperative-sticky, a member joining makes the first member revoke only the partitions that move
        // (never all), in two rebalances (KIP-429), and the result is balanced and disjoint. Method: 4 partitions.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        Support.KafkaClients.CreateTopic(broker.BootstrapServers, "coop", 4);
        using FmConsumer a = ConsumerTestSupport.Create(broker.BootstrapServers, "g-coop", c => c.PartitionAssignmentStrategy = "cooperative-sticky");
        var revoked = new List<int>();
        a.PartitionsRevoked += (_, ps) => revoked.AddRange(ps.Select(p => p.Partition));
        a.Subscribe("coop");
        Assert.True(PollUntil([a], () => a.Assignment.Count == 4, TimeSpan.FromSeconds(20)));
        using FmConsumer b = ConsumerTestSupport.Create(broker.BootstrapServers, "g-coop", c => c.PartitionAssignmentStrategy = "cooperative-sticky");
        b.Subscribe("coop");
        Assert.True(PollUntil([a, b], () => a.Assignment.Count == 2 && b.Assignment.Count == 2, TimeSpan.FromSeconds(30)),
            $"a [{string.Join(",", a.Assignment)}] b [{string.Join(",", b.Assignment)}]");
        Assert.Equal(2, revoked.Count);
        Assert.Empty(a.Assignment.Intersect(b.Assignment));
        Assert.All(revoked, p => Assert.Contains(new TopicPartition("coop", p), b.Assignment));
    }

    [Fact]
    public void Commit_ThenCloseAndReopen_ResumesAfterTheCommit()
    {
        // Goal: committed offsets survive the consumer: a new member of the group starts right after the last commit;
        // Committed() reports it; auto-commit commits only records already returned. Method: 1 partition, 100 records.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        Support.KafkaClients.CreateTopic(broker.BootstrapServers, "resume", 1);
        GroupTestSupport.Produce(broker.BootstrapServers, "resume", 1, 100);
        var tp = new TopicPartition("resume", 0);
        using (FmConsumer first = ConsumerTestSupport.Create(broker.BootstrapServers, "g-resume"))
        {
            first.Subscribe("resume");
            Assert.Equal(40, ConsumerTestSupport.Take(first, 40, TimeSpan.FromSeconds(20)).Count);
            first.Commit();
            Assert.Equal(40, first.Committed([tp], TimeSpan.FromSeconds(5)).Single().Offset);
            ConsumerTestSupport.Take(first, 5, TimeSpan.FromSeconds(5)); // read but never committed
        }
        using (FmConsumer second = ConsumerTestSupport.Create(broker.BootstrapServers, "g-resume",
                   c => (c.EnableAutoCommit, c.AutoCommitInterval) = (true, TimeSpan.FromMilliseconds(100))))
        {
            second.Subscribe("resume");
            List<ConsumedRecord> got = ConsumerTestSupport.Take(second, 10, TimeSpan.FromSeconds(20));
            Assert.Equal(Enumerable.Range(40, 10).Select(i => (long)i), got.Select(r => r.Offset));
            System.Threading.Thread.Sleep(200);
            // The auto-commit falls due at the start of this call, before it returns record 50: it commits 50.
            Assert.True(second.Consume(TimeSpan.FromSeconds(5), out FmRecord r50));
            Assert.Equal(50, r50.Offset);
            Assert.Equal(50, second.Committed([tp], TimeSpan.FromSeconds(5)).Single().Offset);
        } // Close with auto-commit commits what was returned: 51.
        using FmConsumer third = ConsumerTestSupport.Create(broker.BootstrapServers, "g-resume");
        Assert.Equal(51, third.Committed([tp], TimeSpan.FromSeconds(5)).Single().Offset);
        third.Assign([tp]);
        Assert.Equal(51, ConsumerTestSupport.Take(third, 1, TimeSpan.FromSeconds(20)).Single().Offset);
    }

    [Fact]
    public void Commit_ReadByConfluent_AndConfluentCommit_ReadByFastMq()
    {
        // Goal: both clients agree on committed offsets of a group. Method: FastMQ commits 30 → Confluent's
        // Committed sees 30; Confluent commits 70 → FastMQ's Committed and Assign start at 70.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        Support.KafkaClients.CreateTopic(broker.BootstrapServers, "offs", 1);
        GroupTestSupport.Produce(broker.BootstrapServers, "offs", 1, 100);
        using (FmConsumer fast = ConsumerTestSupport.Create(broker.BootstrapServers, "g-offs"))
        {
            fast.Assign([new TopicPartitionOffset("offs", 0, 0)]);
            fast.Commit([new TopicPartitionOffset("offs", 0, 30)]);
        }
        using (IConsumer<byte[], byte[]> rd = GroupTestSupport.Member(broker.BootstrapServers, "g-offs"))
        {
            var ctp = new Confluent.Kafka.TopicPartition("offs", 0);
            Assert.Equal(30, rd.Committed([ctp], TimeSpan.FromSeconds(10)).Single().Offset.Value);
            rd.Commit([new Confluent.Kafka.TopicPartitionOffset(ctp, 70)]);
        }
        using FmConsumer again = ConsumerTestSupport.Create(broker.BootstrapServers, "g-offs");
        again.Assign([new TopicPartition("offs", 0)]);
        Assert.Equal(70, again.Position(new TopicPartition("offs", 0)));
        Assert.Equal(70, ConsumerTestSupport.Take(again, 1, TimeSpan.FromSeconds(20)).Single().Offset);
    }

    private static bool PollUntil(IReadOnlyList<FmConsumer> consumers, Func<bool> done, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            foreach (FmConsumer c in consumers)
            {
                c.Consume(TimeSpan.FromMilliseconds(20), out FmRecord _);
            }
            if (done())
            {
                return true;
            }
        }
        return false;
    }
}
