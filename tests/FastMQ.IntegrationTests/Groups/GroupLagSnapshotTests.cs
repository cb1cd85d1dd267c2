using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Confluent.Kafka;
using FastMQ.Broker;
using FastMQ.Broker.Configuration;
using FastMQ.Broker.Groups;
using FastMQ.IntegrationTests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace FastMQ.IntegrationTests.Groups;

/// <summary>The metrics-facing lag snapshot (GroupCoordinator.GetLagSnapshot) of a broker running in this process.</summary>
public sealed class GroupLagSnapshotTests
{
    [Fact]
    public async Task LagSnapshotReportsCommittedOffsetsHighWatermarksAndGroupState()
    {
        // Goal: a reader on a non-shard thread gets, per group, state, generation, member count and per partition the
        // committed offset, the high watermark and the lag, within about two seconds of a change. Method: an in-process
        // broker (2 shards); 15 records on each of 2 partitions; a standalone commit of 5 and 15 for one group and a live
        // one-member group that commits 3 and 4; GetLagSnapshot polled from the test thread until it shows those values;
        // then 10 more records on partition 0 must raise the lag by 10.
        string dataDir = Path.Combine(Path.GetTempPath(), "fastmq-lag-" + Guid.NewGuid().ToString("N"));
        int port = BrokerProcess.FreePort();
        BrokerOptions options = BrokerOptions.Load(new Dictionary<string, string?>
        {
            ["listeners"] = $"PLAINTEXT://127.0.0.1:{port}",
            ["log.dirs"] = dataDir,
            ["fastmq.shards"] = "2",
            ["log.segment.bytes"] = "1048576",
            ["group.initial.rebalance.delay.ms"] = "300",
            ["group.min.session.timeout.ms"] = "1000",
            ["offsets.topic.num.partitions"] = "3",
            ["offsets.topic.segment.bytes"] = "1048576",
        });
        BrokerServer server = await BrokerServer.StartAsync(options, NullLoggerFactory.Instance);
        try
        {
            // The coordinator is internal to the broker; the test reaches it through the server's context.
            var context = (BrokerContext)typeof(BrokerServer).GetField("_context", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(server)!;
            GroupCoordinator groups = context.Groups;
            string bootstrap = $"127.0.0.1:{port}";
            KafkaClients.CreateTopic(bootstrap, "lag", 2);
            GroupTestSupport.Produce(bootstrap, "lag", 2, 15);
            using (IConsumer<byte[], byte[]> standalone = GroupTestSupport.Member(bootstrap, "g-lag"))
            {
                standalone.Commit([new TopicPartitionOffset("lag", 0, 5), new TopicPartitionOffset("lag", 1, 15)]);
            }
            using IConsumer<byte[], byte[]> live = GroupTestSupport.Member(bootstrap, "g-lag-live");
            live.Subscribe("lag");
            Assert.True(GroupTestSupport.PollUntil([live], () => live.Assignment.Count == 2, TimeSpan.FromSeconds(30)));
            live.Commit([new TopicPartitionOffset("lag", 0, 3), new TopicPartitionOffset("lag", 1, 4)]);

            GroupLagSnapshot? standaloneLag = null;
            GroupLagSnapshot? liveLag = null;
            bool seen = WaitFor(() =>
            {
                live.Consume(TimeSpan.FromMilliseconds(10));
                IReadOnlyList<GroupLagSnapshot> all = groups.GetLagSnapshot();
                standaloneLag = all.FirstOrDefault(g => g.GroupId == "g-lag");
                liveLag = all.FirstOrDefault(g => g.GroupId == "g-lag-live");
                return Lag(standaloneLag, 0) == (5, 15, 10) && Lag(standaloneLag, 1) == (15, 15, 0)
                    && Lag(liveLag, 0) == (3, 15, 12) && Lag(liveLag, 1) == (4, 15, 11);
            });
            Assert.True(seen, Describe(groups.GetLagSnapshot()));
            Assert.Equal(("Empty", 0), (standaloneLag!.State, standaloneLag.MemberCount));
            Assert.Equal(("Stable", 1), (liveLag!.State, liveLag.MemberCount));
            Assert.True(liveLag.Generation >= 1, $"generation {liveLag.Generation}");
            Assert.InRange(liveLag.TakenAtUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
            // While no shard publishes a new snapshot, the same list is handed out again (nothing rebuilt per read); the
            // shards publish once a second, so two back-to-back reads soon meet between publications.
            Assert.True(WaitFor(() => ReferenceEquals(groups.GetLagSnapshot(), groups.GetLagSnapshot())), "every read rebuilt the union");

            GroupTestSupport.Produce(bootstrap, "lag", 1, 10);
            var sw = Stopwatch.StartNew();
            Assert.True(WaitFor(() =>
            {
                live.Consume(TimeSpan.FromMilliseconds(10));
                return Lag(groups.GetLagSnapshot().FirstOrDefault(g => g.GroupId == "g-lag"), 0) == (5, 25, 20);
            }), Describe(groups.GetLagSnapshot()));
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"the new high watermark took {sw.Elapsed} to show");
            live.Close();
        }
        finally
        {
            await server.StopAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static (long Committed, long End, long Lag)? Lag(GroupLagSnapshot? g, int partition)
    {
        if (g is null)
        {
            return null;
        }
        for (int i = 0; i < g.Partitions.Count; i++)
        {
            PartitionLag p = g.Partitions[i];
            if (p.Topic == "lag" && p.Partition == partition)
            {
                return (p.CommittedOffset, p.LogEndOffset, p.Lag);
            }
        }
        return null;
    }

    private static bool WaitFor(Func<bool> condition)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (condition())
            {
                return true;
            }
            Thread.Sleep(50);
        }
        return false;
    }

    private static string Describe(IReadOnlyList<GroupLagSnapshot> all) => string.Join("\n", all.Select(g =>
        $"{g.GroupId} {g.State} gen {g.Generation} members {g.MemberCount}: "
        + string.Join(", ", g.Partitions.Select(p => $"{p.Topic}-{p.Partition} committed {p.CommittedOffset} end {p.LogEndOffset} lag {p.Lag}"))));
}
