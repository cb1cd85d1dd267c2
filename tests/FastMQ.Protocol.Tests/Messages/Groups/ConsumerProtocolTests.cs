using System.Collections.Generic;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages.Groups;

/// <summary>
/// The embedded consumer-protocol structures (kafka-protocol.md §5.3): subscription v0-3 and assignment v0-3, classic
/// encoding behind an INT16 version prefix, with the forward-compatible reading of newer versions.
/// </summary>
public class ConsumerProtocolTests
{
    public static IEnumerable<object[]> Versions() => GroupCodec.Versions(0, 3);

    // Goal: a subscription round-trips at each version 0-3: owned partitions from v1, generation from v2, rack from v3.
    // Method: Encode, Decode, re-encode at the decoded version; every truncation must be refused.
    [Theory]
    [MemberData(nameof(Versions))]
    public void SubscriptionRoundTrips(short version)
    {
        var subscription = new ConsumerProtocolSubscription { UserData = [7, 7], GenerationId = 12, RackId = "rack-a" };
        subscription.Topics.AddRange(["orders", "audit"]);
        subscription.OwnedPartitions.Add(new ConsumerProtocolTopicPartitions { Topic = "orders", Partitions = [0, 3] });
        byte[] bytes = subscription.Encode(version);
        ConsumerProtocolSubscription back = ConsumerProtocolSubscription.Decode(bytes);
        Assert.Equal(bytes, back.Encode(back.Version));
        Codec.AssertEveryTruncationRejected(bytes, (ref KafkaReader r) => ConsumerProtocolSubscription.Read(ref r));
        Assert.Equal(version, back.Version);
        Assert.Equal(["orders", "audit"], back.Topics);
        Assert.Equal([7, 7], back.UserData!);
        Assert.Equal(version >= 1 ? 1 : 0, back.OwnedPartitions.Count);
        Assert.Equal(version >= 2 ? 12 : -1, back.GenerationId);
        Assert.Equal(version >= 3 ? "rack-a" : null, back.RackId);
    }

    // Goal: an assignment round-trips at each version 0-3 (one layout), with null and non-null user data.
    [Theory]
    [MemberData(nameof(Versions))]
    public void AssignmentRoundTrips(short version)
    {
        foreach (byte[]? userData in new[] { null, new byte[] { 1, 2, 3 } })
        {
            var assignment = new ConsumerProtocolAssignment { UserData = userData };
            assignment.AssignedPartitions.Add(new ConsumerProtocolTopicPartitions { Topic = "orders", Partitions = [1, 2] });
            assignment.AssignedPartitions.Add(new ConsumerProtocolTopicPartitions { Topic = "audit", Partitions = [] });
            byte[] bytes = assignment.Encode(version);
            ConsumerProtocolAssignment back = ConsumerProtocolAssignment.Decode(bytes);
            Assert.Equal(bytes, back.Encode(back.Version));
            Codec.AssertEveryTruncationRejected(bytes, (ref KafkaReader r) => ConsumerProtocolAssignment.Read(ref r));
            Assert.Equal(version, back.Version);
            Assert.Equal(userData, back.UserData);
            Assert.Equal([1, 2], back.AssignedPartitions[0].Partitions);
            Assert.Empty(back.AssignedPartitions[1].Partitions);
        }
    }

    // Goal: subscriptions as the clients write them decode field by field: kafkajs v0 (empty user data), librdkafka
    // 2.16 v3 (owned partitions, generation, null rack).
    [Fact]
    public void SubscriptionFixtures()
    {
        byte[] kafkajs = new WireBuilder().I16(0).Arr(2).Str("orders").Str("audit").I32(0).ToArray();
        var v0 = new ConsumerProtocolSubscription { UserData = [] };
        v0.Topics.AddRange(["orders", "audit"]);
        Assert.Equal(kafkajs, v0.Encode(0));
        ConsumerProtocolSubscription read0 = ConsumerProtocolSubscription.Decode(kafkajs);
        Assert.Equal(["orders", "audit"], read0.Topics);
        Assert.Equal([], read0.UserData!);

        byte[] librdkafka = new WireBuilder().I16(3).Arr(1).Str("orders").I32(-1)
            .Arr(1).Str("orders").Arr(2).I32(0).I32(1).I32(4).NullStr().ToArray();
        var v3 = new ConsumerProtocolSubscription { GenerationId = 4 };
        v3.Topics.Add("orders");
        v3.OwnedPartitions.Add(new ConsumerProtocolTopicPartitions { Topic = "orders", Partitions = [0, 1] });
        Assert.Equal(librdkafka, v3.Encode(3));
        ConsumerProtocolSubscription read3 = ConsumerProtocolSubscription.Decode(librdkafka);
        Assert.Equal((3, 4, null, null), (read3.Version, read3.GenerationId, read3.RackId, read3.UserData));
        Assert.Equal([0, 1], Assert.Single(read3.OwnedPartitions).Partitions);
    }

    // Goal: platformatic's assignment v0 with null user data decodes, and encodes back to the same bytes.
    [Fact]
    public void AssignmentFixture()
    {
        byte[] platformatic = new WireBuilder().I16(0).Arr(1).Str("orders").Arr(3).I32(0).I32(1).I32(2).I32(-1).ToArray();
        ConsumerProtocolAssignment read = ConsumerProtocolAssignment.Decode(platformatic);
        Assert.Null(read.UserData);
        Assert.Equal([0, 1, 2], Assert.Single(read.AssignedPartitions).Partitions);
        Assert.Equal(platformatic, read.Encode(0));
    }

    // Goal: a version above 3 is read with the v3 layout and its appended fields ignored (Kafka's forward
    // compatibility rule); known versions with trailing bytes, negative versions and writes above v3 are refused.
    [Fact]
    public void NewerVersionsAreReadLeniently()
    {
        byte[] v4 = new WireBuilder().I16(4).Arr(1).Str("orders").I32(-1).Arr(0).I32(9).Str("rack-b").I32(12345).ToArray();
        ConsumerProtocolSubscription sub = ConsumerProtocolSubscription.Decode(v4);
        Assert.Equal((4, 9, "rack-b"), (sub.Version, sub.GenerationId, sub.RackId));
        Assert.Throws<KafkaProtocolException>(() => sub.Encode(4));

        byte[] assignmentV7 = new WireBuilder().I16(7).Arr(0).I32(-1).I64(1).ToArray();
        Assert.Equal(7, ConsumerProtocolAssignment.Decode(assignmentV7).Version);

        byte[] v0Trailing = new WireBuilder().I16(0).Arr(0).I32(-1).I8(1).ToArray();
        Assert.Throws<KafkaProtocolException>(() => ConsumerProtocolSubscription.Decode(v0Trailing));
        byte[] negative = new WireBuilder().I16(-1).Arr(0).I32(-1).ToArray();
        KafkaProtocolException e = Assert.Throws<KafkaProtocolException>(() => ConsumerProtocolAssignment.Decode(negative));
        Assert.Contains("negative", e.Message, System.StringComparison.Ordinal);
    }

    // Goal: TryDecode separates consumer-protocol bytes from anything else (another protocol type's metadata) without
    // throwing.
    [Fact]
    public void TryDecodeReportsMalformedBytes()
    {
        byte[] valid = new ConsumerProtocolAssignment().Encode(0);
        Assert.True(ConsumerProtocolAssignment.TryDecode(valid, out ConsumerProtocolAssignment? assignment));
        Assert.Empty(assignment.AssignedPartitions);
        Assert.False(ConsumerProtocolAssignment.TryDecode("not-a-consumer"u8, out assignment));
        Assert.Null(assignment);
        Assert.False(ConsumerProtocolSubscription.TryDecode([0, 0, 0], out ConsumerProtocolSubscription? subscription));
        Assert.Null(subscription);
        Assert.True(ConsumerProtocolSubscription.TryDecode(new ConsumerProtocolSubscription().Encode(1), out subscription));
        Assert.Equal(1, subscription.Version);
    }
}
