using System.Collections.Generic;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages.Groups;

/// <summary>Round trips at every advertised version for OffsetCommit, OffsetFetch and OffsetDelete.</summary>
public class OffsetsRoundTripTests
{
    public static IEnumerable<object[]> OffsetCommitVersions() => GroupCodec.Versions(2, 9);

    public static IEnumerable<object[]> OffsetFetchVersions() => GroupCodec.Versions(1, 9);

    // Goal: OffsetCommit round-trips 2-9: GroupInstanceId (7+), RetentionTimeMs (2-4 only), leader epoch (6+), null
    // and non-null metadata, several topics and partitions.
    [Theory]
    [MemberData(nameof(OffsetCommitVersions))]
    public void OffsetCommitRoundTrips(short version)
    {
        var request = new OffsetCommitRequest
        {
            GroupId = "orders-app",
            GenerationIdOrMemberEpoch = 5,
            MemberId = "m-1",
            GroupInstanceId = "host-a",
            RetentionTimeMs = 86_400_000,
        };
        var orders = new OffsetCommitRequest.Topic { Name = "orders" };
        orders.Partitions.Add(new OffsetCommitRequest.Partition { PartitionIndex = 0, CommittedOffset = 42, CommittedLeaderEpoch = 0, CommittedMetadata = "batch-7" });
        orders.Partitions.Add(new OffsetCommitRequest.Partition { PartitionIndex = 3, CommittedOffset = 1L << 40, CommittedLeaderEpoch = 2, CommittedMetadata = null });
        request.Topics.Add(orders);
        var audit = new OffsetCommitRequest.Topic { Name = "audit" };
        audit.Partitions.Add(new OffsetCommitRequest.Partition { PartitionIndex = 1, CommittedOffset = 0, CommittedMetadata = "" });
        request.Topics.Add(audit);
        OffsetCommitRequest back = GroupCodec.RoundTrip<OffsetCommitRequest>(
            (ref KafkaWriter w) => request.Write(ref w, version),
            (ref KafkaReader r) => OffsetCommitRequest.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(("orders-app", 5, "m-1"), (back.GroupId, back.GenerationIdOrMemberEpoch, back.MemberId));
        Assert.Equal(version >= 7 ? "host-a" : null, back.GroupInstanceId);
        Assert.Equal(version <= 4 ? 86_400_000 : -1, back.RetentionTimeMs);
        OffsetCommitRequest.Partition p = back.Topics[0].Partitions[1];
        Assert.Equal((3, 1L << 40, null), (p.PartitionIndex, p.CommittedOffset, p.CommittedMetadata));
        Assert.Equal(version >= 6 ? 2 : -1, p.CommittedLeaderEpoch);
        Assert.Equal("batch-7", back.Topics[0].Partitions[0].CommittedMetadata);
        Assert.Equal("", back.Topics[1].Partitions[0].CommittedMetadata);

        var response = new OffsetCommitResponse { ThrottleTimeMs = 4 };
        var rt = new OffsetCommitResponse.Topic { Name = "orders" };
        rt.Partitions.Add(new OffsetCommitResponse.Partition { PartitionIndex = 0 });
        rt.Partitions.Add(new OffsetCommitResponse.Partition { PartitionIndex = 3, ErrorCode = ErrorCode.IllegalGeneration });
        response.Topics.Add(rt);
        OffsetCommitResponse rb = GroupCodec.RoundTrip<OffsetCommitResponse>(
            (ref KafkaWriter w) => response.Write(ref w, version),
            (ref KafkaReader r) => OffsetCommitResponse.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 3 ? 4 : 0, rb.ThrottleTimeMs);
        Assert.Equal(ErrorCode.IllegalGeneration, rb.Topics[0].Partitions[1].ErrorCode);
    }

    // Goal: OffsetFetch requests round-trip 1-9: single group up to v7, groups from v8, member fields from v9,
    // RequireStable from v7; RequestedGroups gives the same view of both forms.
    [Theory]
    [MemberData(nameof(OffsetFetchVersions))]
    public void OffsetFetchRequestRoundTrips(short version)
    {
        var request = new OffsetFetchRequest { GroupId = "orders-app", RequireStable = true };
        request.Topics!.Add(new OffsetFetchRequest.Topic { Name = "orders", PartitionIndexes = [0, 1, 2] });
        request.Groups.Add(new OffsetFetchRequest.Group { GroupId = "g-all", Topics = null });
        var g2 = new OffsetFetchRequest.Group { GroupId = "g-some", MemberId = "m-9", MemberEpoch = 4 };
        g2.Topics!.Add(new OffsetFetchRequest.Topic { Name = "audit", PartitionIndexes = [3] });
        request.Groups.Add(g2);
        OffsetFetchRequest back = GroupCodec.RoundTrip<OffsetFetchRequest>(
            (ref KafkaWriter w) => request.Write(ref w, version),
            (ref KafkaReader r) => OffsetFetchRequest.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 7, back.RequireStable);
        IReadOnlyList<OffsetFetchRequest.Group> groups = back.RequestedGroups(version);
        if (version <= 7)
        {
            Assert.Empty(back.Groups);
            OffsetFetchRequest.Group only = Assert.Single(groups);
            Assert.Equal("orders-app", only.GroupId);
            Assert.Equal([0, 1, 2], Assert.Single(only.Topics!).PartitionIndexes);
        }
        else
        {
            Assert.Equal(["g-all", "g-some"], new[] { groups[0].GroupId, groups[1].GroupId });
            Assert.Null(groups[0].Topics);
            Assert.Equal("audit", Assert.Single(groups[1].Topics!).Name);
            Assert.Equal(version >= 9 ? "m-9" : null, groups[1].MemberId);
            Assert.Equal(version >= 9 ? 4 : -1, groups[1].MemberEpoch);
        }
    }

    // Goal: a null topic list ("all committed partitions") round-trips from v2 to v7, and is refused at v1 on both
    // the write side (ArgumentException) and the read side (protocol error).
    [Fact]
    public void OffsetFetchAllTopicsNeedsV2()
    {
        var request = new OffsetFetchRequest { GroupId = "orders-app", Topics = null };
        for (short version = 2; version <= 7; version++)
        {
            short v = version;
            OffsetFetchRequest back = GroupCodec.RoundTrip<OffsetFetchRequest>(
                (ref KafkaWriter w) => request.Write(ref w, v),
                (ref KafkaReader r) => OffsetFetchRequest.Read(ref r, v),
                b => (ref KafkaWriter w) => b.Write(ref w, v));
            Assert.Null(back.Topics);
        }
        Assert.Throws<System.ArgumentException>(() => Codec.Encode((ref KafkaWriter w) => request.Write(ref w, 1)));
        byte[] v1NullTopics = new WireBuilder().Str("orders-app").Arr(-1).ToArray();
        Assert.Throws<KafkaProtocolException>(() => Codec.Decode(v1NullTopics, (ref KafkaReader r) => OffsetFetchRequest.Read(ref r, 1)));
    }

    // Goal: OffsetFetch responses round-trip 1-9: topics and group error (2-7) before v8, per-group results from v8,
    // leader epoch from v5, throttle time from v3, null and empty metadata.
    [Theory]
    [MemberData(nameof(OffsetFetchVersions))]
    public void OffsetFetchResponseRoundTrips(short version)
    {
        var response = new OffsetFetchResponse { ThrottleTimeMs = 9, ErrorCode = ErrorCode.CoordinatorLoadInProgress };
        response.Topics.Add(Topic("orders", (0, 10, 2, "m"), (1, -1, -1, "")));
        var g1 = new OffsetFetchResponse.Group { GroupId = "g-1" };
        g1.Topics.Add(Topic("audit", (5, 77, 0, null)));
        response.Groups.Add(g1);
        response.Groups.Add(new OffsetFetchResponse.Group { GroupId = "g-2", ErrorCode = ErrorCode.GroupAuthorizationFailed });
        OffsetFetchResponse rb = GroupCodec.RoundTrip<OffsetFetchResponse>(
            (ref KafkaWriter w) => response.Write(ref w, version),
            (ref KafkaReader r) => OffsetFetchResponse.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 3 ? 9 : 0, rb.ThrottleTimeMs);
        if (version <= 7)
        {
            Assert.Empty(rb.Groups);
            Assert.Equal(version >= 2 ? ErrorCode.CoordinatorLoadInProgress : ErrorCode.None, rb.ErrorCode);
            OffsetFetchResponse.Partition p0 = rb.Topics[0].Partitions[0];
            Assert.Equal((0, 10L, "m"), (p0.PartitionIndex, p0.CommittedOffset, p0.Metadata));
            Assert.Equal(version >= 5 ? 2 : -1, p0.CommittedLeaderEpoch);
            Assert.Equal(-1, rb.Topics[0].Partitions[1].CommittedOffset);
        }
        else
        {
            Assert.Empty(rb.Topics);
            Assert.Equal(ErrorCode.None, rb.ErrorCode);
            OffsetFetchResponse.Partition p = rb.Groups[0].Topics[0].Partitions[0];
            Assert.Equal((5, 77L, 0, null), (p.PartitionIndex, p.CommittedOffset, p.CommittedLeaderEpoch, p.Metadata));
            Assert.Equal(ErrorCode.GroupAuthorizationFailed, rb.Groups[1].ErrorCode);
            Assert.Empty(rb.Groups[1].Topics);
        }
    }

    // Goal: OffsetDelete v0 (the only version, never flexible) round-trips request and response; versions 1 and -1
    // are refused.
    [Fact]
    public void OffsetDeleteRoundTrips()
    {
        var request = new OffsetDeleteRequest { GroupId = "orders-app" };
        request.Topics.Add(new OffsetDeleteRequest.Topic { Name = "orders", PartitionIndexes = [0, 2] });
        OffsetDeleteRequest back = GroupCodec.RoundTrip<OffsetDeleteRequest>(
            (ref KafkaWriter w) => request.Write(ref w, 0),
            (ref KafkaReader r) => OffsetDeleteRequest.Read(ref r, 0),
            b => (ref KafkaWriter w) => b.Write(ref w, 0));
        Assert.Equal([0, 2], Assert.Single(back.Topics).PartitionIndexes);

        var response = new OffsetDeleteResponse { ErrorCode = ErrorCode.None, ThrottleTimeMs = 1 };
        var topic = new OffsetDeleteResponse.Topic { Name = "orders" };
        topic.Partitions.Add(new OffsetDeleteResponse.Partition { PartitionIndex = 0, ErrorCode = (ErrorCode)86 });
        response.Topics.Add(topic);
        OffsetDeleteResponse rb = GroupCodec.RoundTrip<OffsetDeleteResponse>(
            (ref KafkaWriter w) => response.Write(ref w, 0),
            (ref KafkaReader r) => OffsetDeleteResponse.Read(ref r, 0),
            b => (ref KafkaWriter w) => b.Write(ref w, 0));
        Assert.Equal((ErrorCode)86, rb.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(1, rb.ThrottleTimeMs);

        Assert.Throws<KafkaProtocolException>(() => Codec.Encode((ref KafkaWriter w) => request.Write(ref w, 1)));
        Assert.Throws<KafkaProtocolException>(() => Codec.Decode([0, 0], (ref KafkaReader r) => OffsetDeleteResponse.Read(ref r, -1)));
    }

    private static OffsetFetchResponse.Topic Topic(string name, params (int Index, long Offset, int Epoch, string? Metadata)[] partitions)
    {
        var topic = new OffsetFetchResponse.Topic { Name = name };
        foreach ((int index, long offset, int epoch, string? metadata) in partitions)
        {
            topic.Partitions.Add(new OffsetFetchResponse.Partition
            {
                PartitionIndex = index,
                CommittedOffset = offset,
                CommittedLeaderEpoch = epoch,
                Metadata = metadata,
            });
        }
        return topic;
    }
}
