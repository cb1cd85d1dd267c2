using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastMQ.IntegrationTests.Support;
using Xunit;

namespace FastMQ.IntegrationTests.Groups;

/// <summary>
/// Group metadata in __consumer_offsets: a broker restart (graceful or kill -9) keeps a stable group's generation,
/// members and assignment, so members carry on without a rebalance; a deleted group stays deleted.
/// </summary>
public sealed class GroupMetadataDurabilityTests
{
    private const string Topic = "gm";
    private const int Partitions = 4;

    /// <summary>A member with a session long enough to outlive a broker restart, recording every rebalance callback.</summary>
    private static IConsumer<byte[], byte[]> Member(BrokerProcess broker, string group, ConcurrentQueue<string> events, string name, string? instanceId = null) =>
        GroupTestSupport.Member(broker.BootstrapServers, group,
            c =>
            {
                c.SessionTimeoutMs = 30000;
                c.HeartbeatIntervalMs = 300;
                c.GroupInstanceId = instanceId;
                c.EnableAutoOffsetStore = false;
            },
            b => b
                .SetPartitionsAssignedHandler((_, tps) => events.Enqueue($"{name} assigned {tps.Count}"))
                .SetPartitionsRevokedHandler((_, tps) => events.Enqueue($"{name} revoked {tps.Count}"))
                .SetPartitionsLostHandler((_, tps) => events.Enqueue($"{name} lost {tps.Count}")));

    /// <summary>Polls every member until <paramref name="count"/> records arrived; returns (member, partition, offset) of each.</summary>
    private static List<(int Member, int Partition, long Offset)> ConsumeRecords(IReadOnlyList<IConsumer<byte[], byte[]>> members, int count, TimeSpan timeout)
    {
        var got = new List<(int, int, long)>();
        DateTime deadline = DateTime.UtcNow + timeout;
        while (got.Count < count && DateTime.UtcNow < deadline)
        {
            for (int i = 0; i < members.Count; i++)
            {
                ConsumeResult<byte[], byte[]>? r = members[i].Consume(TimeSpan.FromMilliseconds(20));
                if (r is not null && !r.IsPartitionEOF)
                {
                    got.Add((i, r.Partition.Value, r.Offset.Value));
                }
            }
        }
        return got;
    }

    private static async Task<ConsumerGroupDescription> DescribeAsync(string bootstrap, string group)
    {
        using IAdminClient admin = KafkaClients.Admin(bootstrap);
        DescribeConsumerGroupsResult d = await admin.DescribeConsumerGroupsAsync([group]);
        return Assert.Single(d.ConsumerGroupDescriptions);
    }

    private static int Count(string text, string what) => Regex.Count(text, Regex.Escape(what));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StableGroupSurvivesABrokerRestartWithoutARebalance(bool killNine)
    {
        // Goal: a broker restart on the same port and data directory (graceful, or kill -9 under the default group-commit
        // flush policy) restores the stable group, so its 2 members keep heartbeating with their member id and generation:
        // no new generation, no assignment callback, and consumption resumes exactly at the committed offsets. Method: two
        // Confluent consumers on a 4-partition topic consume and commit 10 records per partition; the broker restarts; 10
        // more per partition are produced; the members' callbacks, their commits (which carry the generation), the
        // broker's log and DescribeGroups show the same generation and members.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        KafkaClients.CreateTopic(broker.BootstrapServers, Topic, Partitions);
        GroupTestSupport.Produce(broker.BootstrapServers, Topic, Partitions, 10);
        var events = new ConcurrentQueue<string>();
        var members = new List<IConsumer<byte[], byte[]>> { Member(broker, "g-meta", events, "a"), Member(broker, "g-meta", events, "b") };
        try
        {
            members.ForEach(m => m.Subscribe(Topic));
            List<(int Member, int Partition, long Offset)> first = ConsumeRecords(members, 40, TimeSpan.FromSeconds(60));
            Assert.True(first.Count == 40, $"{first.Count} of 40 records before the restart\n{broker.Output}");
            Assert.True(GroupTestSupport.Disjoint(members, Partitions) && members.All(m => m.Assignment.Count == 2),
                string.Join(" | ", members.Select(m => string.Join(",", m.Assignment))));
            foreach (IConsumer<byte[], byte[]> m in members)
            {
                m.Commit(m.Assignment.Select(tp => new TopicPartitionOffset(tp, 10)));
            }
            string[] memberIds = members.Select(m => m.MemberId).Order().ToArray();
            ConsumerGroupDescription before = await DescribeAsync(broker.BootstrapServers, "g-meta");
            Assert.Equal(ConsumerGroupState.Stable, before.State);
            Assert.Equal(memberIds, before.Members.Select(m => m.ConsumerId).Order().ToArray());
            string[] eventsBefore = events.ToArray();
            // Log lines reach Output asynchronously: only after the barrier does Output hold every line logged so far
            // (the generations to compare with, and the rebalance lines of forming the group, before the window below).
            BrokerLogBarrier.Pass(broker);
            int generations = Count(broker.Output, "Group g-meta: generation");
            int outputBefore = broker.Output.Length;

            if (killNine)
            {
                broker.Kill();
            }
            else
            {
                Assert.Equal(0, broker.StopGracefully());
            }
            broker.Start();
            string restartLog = broker.Output[outputBefore..];
            Assert.Matches(@"Group g-meta: restored Stable at generation \d+ with 2 member\(s\)", restartLog);

            GroupTestSupport.Produce(broker.BootstrapServers, Topic, Partitions, 10);
            List<(int Member, int Partition, long Offset)> second = ConsumeRecords(members, 40, TimeSpan.FromSeconds(60));
            Assert.True(second.Count == 40, $"{second.Count} of 40 records after the restart; events: {string.Join("; ", events)}\n{broker.Output[outputBefore..]}");
            // Resumed at the commits: offsets 10..19 of every partition, each exactly once, by the member that owns it.
            Assert.Equal(Enumerable.Range(0, Partitions).SelectMany(p => Enumerable.Range(10, 10).Select(o => (p, (long)o))).Order().ToArray(),
                second.Select(r => (r.Partition, r.Offset)).Order().ToArray());
            foreach ((int member, int partition, _) in second)
            {
                Assert.Contains(members[member].Assignment, tp => tp.Partition.Value == partition);
            }
            // The commits carry each member's generation: the broker accepts them only if it kept that generation.
            foreach (IConsumer<byte[], byte[]> m in members)
            {
                m.Commit(m.Assignment.Select(tp => new TopicPartitionOffset(tp, 20)));
            }
            GroupTestSupport.PollUntil(members, () => false, TimeSpan.FromSeconds(1));
            Assert.Equal(eventsBefore, events.ToArray());
            Assert.Equal(memberIds, members.Select(m => m.MemberId).Order().ToArray());
            ConsumerGroupDescription after = await DescribeAsync(broker.BootstrapServers, "g-meta");
            Assert.Equal(ConsumerGroupState.Stable, after.State);
            Assert.Equal(memberIds, after.Members.Select(m => m.ConsumerId).Order().ToArray());
            Assert.Equal(2, after.Members.Single(m => m.ConsumerId == members[0].MemberId).Assignment.TopicPartitions.Count);
            // No new generation and no rebalance: absences, so first make sure everything logged so far has arrived.
            BrokerLogBarrier.Pass(broker);
            Assert.Equal(generations, Count(broker.Output, "Group g-meta: generation"));
            Assert.DoesNotContain("Group g-meta: preparing rebalance", broker.Output[outputBefore..], StringComparison.Ordinal);
        }
        finally
        {
            foreach (IConsumer<byte[], byte[]> m in members)
            {
                m.Close();
                m.Dispose();
            }
        }
    }

    [Fact]
    public void RestartedStaticMemberKeepsItsSlotAcrossABrokerKill()
    {
        // Goal: a static member that restarted (new member id, same group.instance.id, no rebalance) is stored with its
        // new id, so after the broker is killed and restarted it is neither fenced nor rebalanced. Method: two static
        // Confluent consumers; one is closed and recreated; kill -9 of the broker; both keep consuming with no callback.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        KafkaClients.CreateTopic(broker.BootstrapServers, Topic, Partitions);
        var events = new ConcurrentQueue<string>();
        IConsumer<byte[], byte[]> a = Member(broker, "g-static-meta", events, "a", "inst-a");
        IConsumer<byte[], byte[]> b = Member(broker, "g-static-meta", events, "b", "inst-b");
        try
        {
            a.Subscribe(Topic);
            b.Subscribe(Topic);
            Assert.True(GroupTestSupport.PollUntil([a, b], () => a.Assignment.Count == 2 && b.Assignment.Count == 2, TimeSpan.FromSeconds(30)));
            string oldB = b.MemberId;
            b.Close();
            b.Dispose();
            b = Member(broker, "g-static-meta", events, "b2", "inst-b");
            b.Subscribe(Topic);
            Assert.True(GroupTestSupport.PollUntil([a, b], () => b.Assignment.Count == 2, TimeSpan.FromSeconds(30)));
            Assert.NotEqual(oldB, b.MemberId);
            Assert.True(broker.WaitForOutput("static member inst-b restarted"), broker.Output);
            GroupTestSupport.PollUntil([a, b], () => false, TimeSpan.FromSeconds(1));
            string[] eventsBefore = events.ToArray();
            int outputBefore = broker.Output.Length;

            broker.Kill();
            broker.Start();
            GroupTestSupport.Produce(broker.BootstrapServers, Topic, Partitions, 5);
            List<(int Member, int Partition, long Offset)> got = ConsumeRecords([a, b], 20, TimeSpan.FromSeconds(60));
            Assert.True(got.Count == 20, $"{got.Count} of 20 records; events: {string.Join("; ", events)}\n{broker.Output[outputBefore..]}");
            // A fenced static member would fail these commits (FENCED_INSTANCE_ID throws from Commit).
            a.Commit(a.Assignment.Select(tp => new TopicPartitionOffset(tp, 5)));
            b.Commit(b.Assignment.Select(tp => new TopicPartitionOffset(tp, 5)));
            Assert.Equal(eventsBefore, events.ToArray());
            // Absence below: first make sure every line the restarted broker logged so far has arrived.
            BrokerLogBarrier.Pass(broker);
            string log = broker.Output[outputBefore..];
            Assert.DoesNotContain("preparing rebalance", log, StringComparison.Ordinal);
        }
        finally
        {
            a.Close();
            a.Dispose();
            b.Close();
            b.Dispose();
        }
    }

    [Fact]
    public async Task DeletedGroupStaysGoneAfterARestart()
    {
        // Goal: DeleteGroups writes a tombstone for the group's metadata (not only its offsets), so after a restart the
        // group is not listed and describes as Dead, while an empty group that was not deleted is still there. Method:
        // two groups each form, commit and leave (an Empty metadata record each); one is deleted; kill -9; ListGroups.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        KafkaClients.CreateTopic(broker.BootstrapServers, Topic, 2);
        foreach (string group in new[] { "g-deleted", "g-kept" })
        {
            using IConsumer<byte[], byte[]> m = GroupTestSupport.Member(broker.BootstrapServers, group);
            m.Subscribe(Topic);
            Assert.True(GroupTestSupport.PollUntil([m], () => m.Assignment.Count == 2, TimeSpan.FromSeconds(30)));
            m.Commit([new TopicPartitionOffset(Topic, 0, 0), new TopicPartitionOffset(Topic, 1, 0)]);
            m.Close();
        }
        using IAdminClient admin = KafkaClients.Admin(broker.BootstrapServers);
        Assert.True(GroupTestSupport.Eventually(() => broker.Output.Contains("Group g-deleted: generation 2 has no members", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10)), broker.Output);
        await admin.DeleteGroupsAsync(["g-deleted"]);

        broker.Kill();
        broker.Start();
        using IAdminClient admin2 = KafkaClients.Admin(broker.BootstrapServers);
        ListConsumerGroupsResult listed = await admin2.ListConsumerGroupsAsync();
        Assert.Contains(listed.Valid, g => g.GroupId == "g-kept" && g.State == ConsumerGroupState.Empty);
        Assert.DoesNotContain(listed.Valid, g => g.GroupId == "g-deleted");
        ConsumerGroupDescription deleted = await DescribeAsync(broker.BootstrapServers, "g-deleted");
        Assert.Equal(ConsumerGroupState.Dead, deleted.State);
        Assert.DoesNotContain("Group g-deleted: restored", broker.Output, StringComparison.Ordinal);
    }
}
