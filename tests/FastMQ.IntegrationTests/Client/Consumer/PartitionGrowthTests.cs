using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastMQ.IntegrationTests.Groups;
using FastMQ.IntegrationTests.Support;
using Xunit;
using FmConsumer = FastMQ.Client.Consumer;
using FmRecord = FastMQ.Client.ConsumeRecord;

namespace FastMQ.IntegrationTests.Client.Consumer;

/// <summary>A consumer group notices partitions added to a subscribed topic (metadata.max.age.ms) and assigns them.</summary>
public sealed class PartitionGrowthTests
{
    private const int PerPartitionBefore = 30;
    private const int PerPartitionAfter = 50;

    [Theory]
    [InlineData("range")]
    [InlineData("cooperative-sticky")]
    public async Task AddedPartitions_AreAssigned_AndEveryRecordIsReadOnce(string strategy)
    {
        // Goal: two FastMQ.Client members of one group on a 2-partition topic; after CreatePartitions takes it to 4, the
        // group rebalances by itself (metadata.max.age.ms = 1 s), the 4 partitions are split between the members, and
        // every record of all 4 is read exactly once. Method: records before and after the growth; poll both members,
        // record who read each (partition, offset); members commit in PartitionsRevoked so that an eager hand-over
        // does not re-read; then keep polling past another max age to catch late re-reads.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        string topic = "grow-" + strategy;
        string group = "g-grow-" + strategy;
        KafkaClients.CreateTopic(broker.BootstrapServers, topic, 2);
        using FmConsumer a = Member(broker.BootstrapServers, group, strategy);
        using FmConsumer b = Member(broker.BootstrapServers, group, strategy);
        a.Subscribe(topic);
        b.Subscribe(topic);
        var readBy = new Dictionary<(int Partition, long Offset), string>();
        var duplicates = new List<string>();
        Assert.True(Poll(a, b, readBy, duplicates, () => OwnsDisjointly(a, b, 2), TimeSpan.FromSeconds(30)),
            "the group never split the 2 partitions: " + State(a, b, readBy));
        GroupTestSupport.Produce(broker.BootstrapServers, topic, 2, PerPartitionBefore);

        using (IAdminClient admin = KafkaClients.Admin(broker.BootstrapServers))
        {
            await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = 4 }]);
        }
        GroupTestSupport.Produce(broker.BootstrapServers, topic, 4, PerPartitionAfter);
        int expected = (2 * PerPartitionBefore) + (4 * PerPartitionAfter);
        var sw = Stopwatch.StartNew();
        bool done = Poll(a, b, readBy, duplicates, () => readBy.Count == expected && OwnsDisjointly(a, b, 4), TimeSpan.FromSeconds(45));
        Assert.True(done, $"after {sw.Elapsed.TotalSeconds:F1} s: {State(a, b, readBy)}");
        Poll(a, b, readBy, duplicates, () => false, TimeSpan.FromSeconds(2));

        Assert.Empty(duplicates);
        Assert.Equal(expected, readBy.Count);
        for (int p = 0; p < 4; p++)
        {
            int count = p < 2 ? PerPartitionBefore + PerPartitionAfter : PerPartitionAfter;
            Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i),
                readBy.Keys.Where(k => k.Partition == p).Select(k => k.Offset).Order());
        }
        Assert.True(OwnsDisjointly(a, b, 4), State(a, b, readBy));
        Assert.Equal(2, a.Assignment.Count);
        Assert.Equal(2, b.Assignment.Count);
    }

    [Fact]
    public void SubscribedTopic_CreatedAfterTheJoin_IsAssigned_AndRead()
    {
        // Goal: a subscribed topic that did not exist when the group formed is assigned once it is created (the
        // leader's refresh sees a topic that had no partitions now has some). Method: one member subscribed to an
        // existing and a missing topic; create the missing one with 3 partitions, produce, read everything.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        KafkaClients.CreateTopic(broker.BootstrapServers, "present", 1);
        using FmConsumer consumer = Member(broker.BootstrapServers, "g-later", "range");
        consumer.Subscribe(["present", "later"]);
        var readBy = new Dictionary<(int Partition, long Offset), string>();
        var duplicates = new List<string>();
        Assert.True(Poll(consumer, consumer, readBy, duplicates, () => consumer.Assignment.Count == 1, TimeSpan.FromSeconds(30)));
        KafkaClients.CreateTopic(broker.BootstrapServers, "later", 3);
        GroupTestSupport.Produce(broker.BootstrapServers, "later", 3, 20);
        var later = new HashSet<(int Partition, long Offset)>();
        var sw = Stopwatch.StartNew();
        while (later.Count < 60 && sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(50), out FmRecord r) && r.Topic == "later")
            {
                Assert.True(later.Add((r.Partition, r.Offset)), $"later {r.Partition}@{r.Offset} read twice");
            }
        }
        Assert.Equal(60, later.Count);
        Assert.Equal(["later[0]", "later[1]", "later[2]", "present[0]"], consumer.Assignment.Select(tp => tp.ToString()));
    }

    private static FmConsumer Member(string bootstrap, string group, string strategy)
    {
        FmConsumer consumer = ConsumerTestSupport.Create(bootstrap, group, c =>
        {
            c.PartitionAssignmentStrategy = strategy;
            c.MetadataMaxAge = TimeSpan.FromSeconds(1);
        });
        consumer.PartitionsRevoked += static (c, _) => c.Commit();
        return consumer;
    }

    /// <summary>Polls both members in turn until <paramref name="done"/> holds; records which member read each record.</summary>
    private static bool Poll(FmConsumer a, FmConsumer b, Dictionary<(int Partition, long Offset), string> readBy,
        List<string> duplicates, Func<bool> done, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            Read(a, "a", readBy, duplicates);
            Read(b, "b", readBy, duplicates);
            if (done())
            {
                return true;
            }
        }
        return false;
    }

    private static void Read(FmConsumer consumer, string name, Dictionary<(int Partition, long Offset), string> readBy, List<string> duplicates)
    {
        if (consumer.Consume(TimeSpan.FromMilliseconds(20), out FmRecord r) && !readBy.TryAdd((r.Partition, r.Offset), name))
        {
            duplicates.Add($"{name} read {r.Partition}@{r.Offset} again (first read by {readBy[(r.Partition, r.Offset)]})");
        }
    }

    /// <summary>Both members own partitions, and together exactly partitions 0..count-1, none twice.</summary>
    private static bool OwnsDisjointly(FmConsumer a, FmConsumer b, int count)
    {
        IReadOnlyList<FastMQ.Client.TopicPartition> x = a.Assignment;
        IReadOnlyList<FastMQ.Client.TopicPartition> y = b.Assignment;
        return x.Count > 0 && y.Count > 0 && x.Concat(y).Select(tp => tp.Partition).Order().SequenceEqual(Enumerable.Range(0, count));
    }

    private static string State(FmConsumer a, FmConsumer b, Dictionary<(int Partition, long Offset), string> readBy) =>
        $"a [{string.Join(",", a.Assignment)}] gen {a.GenerationId}, b [{string.Join(",", b.Assignment)}] gen {b.GenerationId}, "
        + $"read per partition [{string.Join(",", readBy.Keys.GroupBy(k => k.Partition).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}"))}]";
}
