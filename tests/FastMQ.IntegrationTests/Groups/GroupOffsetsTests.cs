using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastMQ.IntegrationTests.Support;
using Xunit;

namespace FastMQ.IntegrationTests.Groups;

/// <summary>Committed offsets (durability, reset policies, compaction) and the group admin APIs, with real clients.</summary>
public sealed class GroupOffsetsTests
{
    private static List<TopicPartition> Partitions(string topic, int count) =>
        Enumerable.Range(0, count).Select(p => new TopicPartition(topic, p)).ToList();

    private static Dictionary<int, long> Committed(string bootstrap, string group, string topic, int count)
    {
        using IConsumer<byte[], byte[]> c = GroupTestSupport.Member(bootstrap, group);
        return c.Committed(Partitions(topic, count), TimeSpan.FromSeconds(20)).ToDictionary(t => t.Partition.Value, t => t.Offset.Value);
    }

    [Fact]
    public void CommittedOffsetsSurviveKillNineAndGracefulRestart()
    {
        // Goal: an acknowledged commit is durable: it survives SIGKILL and a graceful restart, and later commits
        // replace earlier ones. Method: standalone commits from an assigned consumer, read back with OffsetFetch
        // (Committed) after each restart of the same data directory.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        KafkaClients.CreateTopic(broker.BootstrapServers, "dur", 3);
        using (IConsumer<byte[], byte[]> c = GroupTestSupport.Member(broker.BootstrapServers, "g-dur"))
        {
            c.Commit([new TopicPartitionOffset("dur", 0, 5), new TopicPartitionOffset("dur", 1, 7), new TopicPartitionOffset("dur", 2, 9)]);
            c.Commit([new TopicPartitionOffset("dur", 1, 11)]);
        }
        broker.Kill();
        broker.Start();
        Assert.Equal(new Dictionary<int, long> { [0] = 5, [1] = 11, [2] = 9 }, Committed(broker.BootstrapServers, "g-dur", "dur", 3));
        using (IConsumer<byte[], byte[]> c = GroupTestSupport.Member(broker.BootstrapServers, "g-dur"))
        {
            c.Commit([new TopicPartitionOffset("dur", 2, 42)]);
        }
        Assert.Equal(0, broker.StopGracefully());
        broker.Start();
        Assert.Equal(new Dictionary<int, long> { [0] = 5, [1] = 11, [2] = 42 }, Committed(broker.BootstrapServers, "g-dur", "dur", 3));
        // A group that never committed fetches -1 (no offset) for every partition.
        Assert.All(Committed(broker.BootstrapServers, "g-never", "dur", 3).Values, v => Assert.Equal(Offset.Unset.Value, v));
    }

    [Fact]
    public void ResetPoliciesAndAGroupResumingFromItsCommit()
    {
        // Goal: earliest/latest reset apply when a group has no commit, an explicit offset overrides, and a group
        // member resumes from the group's commit. Method: 10 records per partition, fresh groups per policy.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        KafkaClients.CreateTopic(broker.BootstrapServers, "reset", 1);
        GroupTestSupport.Produce(broker.BootstrapServers, "reset", 1, 10);

        using (IConsumer<byte[], byte[]> earliest = GroupTestSupport.Member(broker.BootstrapServers, "g-earliest"))
        {
            earliest.Subscribe("reset");
            ConsumeResult<byte[], byte[]> first = ConsumeOne(earliest);
            Assert.Equal(0, first.Offset.Value);
            earliest.Commit([new TopicPartitionOffset("reset", 0, 4)]);
            earliest.Close();
        }
        using (IConsumer<byte[], byte[]> resumed = GroupTestSupport.Member(broker.BootstrapServers, "g-earliest"))
        {
            resumed.Subscribe("reset");
            Assert.Equal(4, ConsumeOne(resumed).Offset.Value);
            resumed.Close();
        }
        using (IConsumer<byte[], byte[]> latest = GroupTestSupport.Member(broker.BootstrapServers, "g-latest", c => c.AutoOffsetReset = AutoOffsetReset.Latest))
        {
            latest.Subscribe("reset");
            Assert.True(GroupTestSupport.PollUntil([latest], () => latest.Assignment.Count == 1, TimeSpan.FromSeconds(30)));
            // Let the consumer resolve its position (the end) before the new record arrives.
            GroupTestSupport.PollUntil([latest], () => latest.Position(new TopicPartition("reset", 0)).Value == 10, TimeSpan.FromSeconds(10));
            GroupTestSupport.Produce(broker.BootstrapServers, "reset", 1, 1);
            Assert.Equal(10, ConsumeOne(latest).Offset.Value);
            latest.Close();
        }
        using (IConsumer<byte[], byte[]> specific = GroupTestSupport.Member(broker.BootstrapServers, "g-specific"))
        {
            specific.Assign([new TopicPartitionOffset("reset", 0, 7)]);
            Assert.Equal(7, ConsumeOne(specific).Offset.Value);
        }
    }

    [Fact]
    public void AtMostOnce_CommitBeforeProcessing_NeverRepeatsARecord()
    {
        // Goal: commit-before-processing gives at-most-once, as in Kafka. Method: a member commits each record's offset
        // before "processing" it and dies (disposed, nothing more processed) right after committing record 9; a new
        // member of the group resumes at the commit. Record 9 is lost, no record is processed twice.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        KafkaClients.CreateTopic(broker.BootstrapServers, "amo", 1);
        GroupTestSupport.Produce(broker.BootstrapServers, "amo", 1, 20);
        var processed = new List<int>();
        using (IConsumer<byte[], byte[]> first = GroupTestSupport.Member(broker.BootstrapServers, "g-amo"))
        {
            first.Subscribe("amo");
            while (true)
            {
                ConsumeResult<byte[], byte[]> r = ConsumeOne(first);
                first.Commit(r);
                if (r.Offset.Value == 9)
                {
                    break;
                }
                processed.Add(BitConverter.ToInt32(r.Message.Value));
            }
        }
        using (IConsumer<byte[], byte[]> second = GroupTestSupport.Member(broker.BootstrapServers, "g-amo"))
        {
            second.Subscribe("amo");
            for (int i = 0; i < 10; i++)
            {
                ConsumeResult<byte[], byte[]> r = ConsumeOne(second);
                second.Commit(r);
                processed.Add(BitConverter.ToInt32(r.Message.Value));
            }
            ConsumeResult<byte[], byte[]>? extra = second.Consume(TimeSpan.FromSeconds(1));
            Assert.True(extra is null || extra.IsPartitionEOF, $"unexpected record at offset {extra?.Offset}");
            second.Close();
        }
        Assert.Equal(Enumerable.Range(0, 9).Concat(Enumerable.Range(10, 10)).ToArray(), processed.ToArray());
    }

    private static ConsumeResult<byte[], byte[]> ConsumeOne(IConsumer<byte[], byte[]> consumer)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            ConsumeResult<byte[], byte[]>? r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is not null && !r.IsPartitionEOF)
            {
                return r;
            }
        }
        throw new TimeoutException("no record within 30 s");
    }

    [Fact]
    public async Task ListDescribeDeleteGroupsAndOffsetDelete()
    {
        // Goal: ListGroups, DescribeGroups, OffsetDelete and DeleteGroups as Kafka answers them, including the refusals
        // (NON_EMPTY_GROUP, GROUP_SUBSCRIBED_TO_TOPIC, GROUP_ID_NOT_FOUND). Method: Confluent's admin client.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        KafkaClients.CreateTopic(broker.BootstrapServers, "adm", 2);
        KafkaClients.CreateTopic(broker.BootstrapServers, "adm-other", 1);
        using IAdminClient admin = KafkaClients.Admin(broker.BootstrapServers);
        using IConsumer<byte[], byte[]> member = GroupTestSupport.Member(broker.BootstrapServers, "g-adm", c => c.ClientId = "adm-client");
        member.Subscribe("adm");
        Assert.True(GroupTestSupport.PollUntil([member], () => member.Assignment.Count == 2, TimeSpan.FromSeconds(30)));
        member.Commit([new TopicPartitionOffset("adm", 0, 1), new TopicPartitionOffset("adm", 1, 2)]);
        using (IConsumer<byte[], byte[]> standalone = GroupTestSupport.Member(broker.BootstrapServers, "g-adm"))
        {
            // Not a member: commits with generation -1 are refused while the group has members.
            Assert.Throws<KafkaException>(() => standalone.Commit([new TopicPartitionOffset("adm-other", 0, 3)]));
        }

        ListConsumerGroupsResult listed = await admin.ListConsumerGroupsAsync();
        ConsumerGroupListing listing = Assert.Single(listed.Valid, g => g.GroupId == "g-adm");
        Assert.Equal(ConsumerGroupState.Stable, listing.State);

        DescribeConsumerGroupsResult described = await admin.DescribeConsumerGroupsAsync(["g-adm"]);
        ConsumerGroupDescription d = Assert.Single(described.ConsumerGroupDescriptions);
        Assert.Equal(ConsumerGroupState.Stable, d.State);
        MemberDescription m = Assert.Single(d.Members);
        Assert.Equal("adm-client", m.ClientId);
        Assert.Equal(2, m.Assignment.TopicPartitions.Count);

        var offsetDelete = await Assert.ThrowsAsync<DeleteConsumerGroupOffsetsException>(() =>
            admin.DeleteConsumerGroupOffsetsAsync("g-adm", [new TopicPartition("adm", 0)]));
        Assert.Equal(ErrorCode.GroupSubscribedToTopic, offsetDelete.Result.Partitions[0].Error.Code);
        var nonEmpty = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["g-adm"]));
        Assert.Equal(ErrorCode.NonEmptyGroup, nonEmpty.Results[0].Error.Code);

        member.Close();
        await admin.DeleteConsumerGroupOffsetsAsync("g-adm", [new TopicPartition("adm", 0)]);
        Assert.Equal(new Dictionary<int, long> { [0] = Offset.Unset.Value, [1] = 2 }, Committed(broker.BootstrapServers, "g-adm", "adm", 2));
        await admin.DeleteGroupsAsync(["g-adm"]);
        Assert.Equal(new Dictionary<int, long> { [0] = Offset.Unset.Value, [1] = Offset.Unset.Value }, Committed(broker.BootstrapServers, "g-adm", "adm", 2));
        var missing = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["g-adm"]));
        Assert.Equal(ErrorCode.GroupIdNotFound, missing.Results[0].Error.Code);

        // The deletion is durable: the tombstones hide the old commits after a restart too.
        broker.Kill();
        broker.Start();
        Assert.Equal(new Dictionary<int, long> { [0] = Offset.Unset.Value, [1] = Offset.Unset.Value }, Committed(broker.BootstrapServers, "g-adm", "adm", 2));
    }

    [Fact]
    public void CompactionKeepsOnlyTheLatestOffsetsAcrossARestart()
    {
        // Goal: __consumer_offsets compaction (snapshot of the live offsets, then the log start moves past the older
        // records) loses no commit. Method: small offsets segments, hundreds of commits of the same keys, wait for the
        // broker to report a compaction, then kill -9 and read the offsets back.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs("--offsets.topic.segment.bytes=65536", "--offsets.topic.num.partitions=1"));
        KafkaClients.CreateTopic(broker.BootstrapServers, "cmp", 6);
        using (IConsumer<byte[], byte[]> c = GroupTestSupport.Member(broker.BootstrapServers, "g-cmp"))
        {
            for (int i = 1; i <= 600; i++)
            {
                c.Commit(Enumerable.Range(0, 6).Select(p => new TopicPartitionOffset("cmp", p, (i * 10) + p)));
            }
        }
        Assert.True(GroupTestSupport.Eventually(() => broker.Output.Contains("Compacted __consumer_offsets-0", StringComparison.Ordinal), TimeSpan.FromSeconds(20)),
            "no compaction reported\n" + broker.Output);
        broker.Kill();
        broker.Start();
        Dictionary<int, long> committed = Committed(broker.BootstrapServers, "g-cmp", "cmp", 6);
        Assert.Equal(Enumerable.Range(0, 6).ToDictionary(p => p, p => 6000L + p), committed);
    }
}
