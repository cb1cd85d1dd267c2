using System.Linq;
using Xunit;

namespace FastMQ.IntegrationTests.Compat;

/// <summary>
/// kafkajs 2.2.4's consumer, which always joins a group (FindCoordinator v2, JoinGroup v5, SyncGroup v3,
/// OffsetFetch v4, Heartbeat v3, OffsetCommit v5, LeaveGroup v3), against a real fastmq-server process.
/// </summary>
public sealed class KafkaJsConsumerGroupTests(KafkaJsBrokerFixture fixture) : IClassFixture<KafkaJsBrokerFixture>
{
    private readonly BrokerProcess _broker = fixture.Broker;

    [Fact]
    public void Consumer_InNewGroup_ReadsEverythingAndCommitsTheEnd()
    {
        // Goal: a kafkajs consumer group reads every record and its commits land. Method: produce 1,000 keyed messages
        // to 3 partitions, consume from the beginning in a new group until all arrived, disconnect (kafkajs commits),
        // then compare the group's committed offsets (admin fetchOffsets) with the high watermarks.
        const int count = 1000;
        string topic = KafkaJsBrokerFixture.NewTopic("consume");
        KafkaJsDriver.Run(_broker, "admin", topic, "--partitions", "3").AssertOk();
        KafkaJsDriver.Run(_broker, "produce", topic, "--count", "1000", "--acks", "-1", "--compression", "gzip").AssertOk();

        KafkaJsResult run = KafkaJsDriver.Run(_broker, "consume", topic, "--count", "1000", "--group", topic + "-group", "--timeout-ms", "40000");
        run.AssertSent("GroupCoordinator v2", "JoinGroup v5", "SyncGroup v3", "OffsetFetch v4", "Fetch v11", "OffsetCommit v5", "LeaveGroup v3");
        run.AssertNoErrorResponses();
        Assert.True(run.Int("received") == count, $"received {run.Int("received")} of {count}:\n{run}");
        Assert.Equal(count, run.Int("distinct"));
        Assert.Equal(0, run.Int("duplicates"));
        Assert.Equal(0, run.Int("badPairs"));
        Assert.Equal(0, run.Int("wrongPartition"));
        Assert.Equal(0, run.Int("offsetGaps"));
        Assert.True(run.Node("counters")["gzipDecompress"]!.GetValue<int>() >= 10, run.ToString());

        (int, long)[] committed = [.. run.Array("committed").Select(c => (c!["partition"]!.GetValue<int>(), c["offset"]!.GetValue<long>()))];
        Assert.Equal(run.Offsets.Select(o => (o.Partition, o.High)), committed);
    }
}
