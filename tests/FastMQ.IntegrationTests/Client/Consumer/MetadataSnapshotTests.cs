using FastMQ.Client.Consuming;
using FastMQ.Protocol.Messages;
using Xunit;

namespace FastMQ.IntegrationTests.Client.Consumer;

public sealed class MetadataSnapshotTests
{
    private static MetadataResponse Metadata(params (string Name, ErrorCode Error, int Partitions)[] topics)
    {
        var response = new MetadataResponse();
        foreach ((string name, ErrorCode error, int partitions) in topics)
        {
            var topic = new MetadataResponse.Topic { Name = name, ErrorCode = error };
            for (int p = 0; p < partitions; p++)
            {
                topic.Partitions.Add(new MetadataResponse.Partition { PartitionIndex = p, LeaderId = 1 });
            }
            response.Topics.Add(topic);
        }
        return response;
    }

    [Fact]
    public void FindChange_ReportsGrowthDeletionAndCreation_NotTransientErrorsOrSilence()
    {
        // Goal: the leader's rejoin rule: a subscribed topic whose partition count differs from the one assigned from
        // (grown, deleted = UNKNOWN_TOPIC_OR_PARTITION, created after being unknown) is a change; a transient topic
        // error, a topic left out of the response, or equal counts are not. Method: snapshots against crafted responses.
        var snapshot = new MetadataSnapshot(["orders", "audit"],
            Metadata(("orders", ErrorCode.None, 2), ("audit", ErrorCode.UnknownTopicOrPartition, 0)));
        Assert.Equal(["audit", "orders"], snapshot.Topics);
        Assert.Equal(2, snapshot.PartitionsPerTopic["orders"]);
        Assert.False(snapshot.PartitionsPerTopic.ContainsKey("audit"));

        Assert.Null(snapshot.FindChange(Metadata(("orders", ErrorCode.None, 2), ("audit", ErrorCode.UnknownTopicOrPartition, 0))));
        Assert.Null(snapshot.FindChange(Metadata(("orders", ErrorCode.LeaderNotAvailable, 0))));
        Assert.Null(snapshot.FindChange(Metadata()));
        Assert.Equal("topic 'orders' has 4 partitions, the group's assignment was made with 2",
            snapshot.FindChange(Metadata(("orders", ErrorCode.None, 4))));
        Assert.Equal("topic 'orders' has 0 partitions, the group's assignment was made with 2",
            snapshot.FindChange(Metadata(("orders", ErrorCode.UnknownTopicOrPartition, 0))));
        Assert.Equal("topic 'audit' has 3 partitions, the group's assignment was made with 0",
            snapshot.FindChange(Metadata(("orders", ErrorCode.None, 2), ("audit", ErrorCode.None, 3))));
    }
}
