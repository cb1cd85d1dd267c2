using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages.Groups;

/// <summary>
/// Hand-assembled byte fixtures for the offset versions the clients send: OffsetCommit v7 (kcat / librdkafka 2.0.2),
/// OffsetFetch v7 (librdkafka 2.0.2, flexible single-group form) and v9 (librdkafka 2.16, multi-group form).
/// </summary>
public class OffsetsFixtureTests
{
    private const string Group = "fastmq-orders";

    // Goal: OffsetCommit v7 request (generation, member, null instance id, no retention field, leader epoch per
    // partition, metadata) and response (throttle, per-partition errors) match the schema byte for byte.
    [Fact]
    public void OffsetCommitV7()
    {
        byte[] request = new WireBuilder().Str(Group).I32(3).Str("rdkafka-a").NullStr()
            .Arr(1).Str("orders").Arr(2)
            .I32(0).I64(42).I32(0).Str("")
            .I32(1).I64(7).I32(-1).NullStr()
            .ToArray();
        var built = new OffsetCommitRequest { GroupId = Group, GenerationIdOrMemberEpoch = 3, MemberId = "rdkafka-a" };
        var topic = new OffsetCommitRequest.Topic { Name = "orders" };
        topic.Partitions.Add(new OffsetCommitRequest.Partition { PartitionIndex = 0, CommittedOffset = 42, CommittedLeaderEpoch = 0, CommittedMetadata = "" });
        topic.Partitions.Add(new OffsetCommitRequest.Partition { PartitionIndex = 1, CommittedOffset = 7, CommittedMetadata = null });
        built.Topics.Add(topic);
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 7)));
        OffsetCommitRequest read = GroupCodec.DecodeFixture(request, (ref KafkaReader r) => OffsetCommitRequest.Read(ref r, 7));
        Assert.Equal((3, "rdkafka-a", null), (read.GenerationIdOrMemberEpoch, read.MemberId, read.GroupInstanceId));
        Assert.Equal(-1, read.RetentionTimeMs);
        Assert.Equal((42L, 0, ""), (read.Topics[0].Partitions[0].CommittedOffset, read.Topics[0].Partitions[0].CommittedLeaderEpoch,
            read.Topics[0].Partitions[0].CommittedMetadata));
        Assert.Null(read.Topics[0].Partitions[1].CommittedMetadata);

        byte[] response = new WireBuilder().I32(0).Arr(1).Str("orders").Arr(2).I32(0).I16(0).I32(1).I16(22).ToArray();
        var answer = new OffsetCommitResponse();
        var rt = new OffsetCommitResponse.Topic { Name = "orders" };
        rt.Partitions.Add(new OffsetCommitResponse.Partition { PartitionIndex = 0 });
        rt.Partitions.Add(new OffsetCommitResponse.Partition { PartitionIndex = 1, ErrorCode = ErrorCode.IllegalGeneration });
        answer.Topics.Add(rt);
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 7)));
        OffsetCommitResponse back = GroupCodec.DecodeFixture(response, (ref KafkaReader r) => OffsetCommitResponse.Read(ref r, 7));
        Assert.Equal(ErrorCode.IllegalGeneration, back.Topics[0].Partitions[1].ErrorCode);
    }

    // Goal: OffsetFetch v7 (flexible, one group): compact strings and arrays, tag sections after each topic and the
    // body, RequireStable last; the response carries leader epochs, partition errors and the group error code.
    [Fact]
    public void OffsetFetchV7()
    {
        byte[] request = new WireBuilder().CStr(Group).CArr(1).CStr("orders").CArr(2).I32(0).I32(1).NoTags()
            .Bool(true).NoTags().ToArray();
        var built = new OffsetFetchRequest { GroupId = Group, RequireStable = true };
        built.Topics!.Add(new OffsetFetchRequest.Topic { Name = "orders", PartitionIndexes = [0, 1] });
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 7)));
        OffsetFetchRequest read = GroupCodec.DecodeFixture(request, (ref KafkaReader r) => OffsetFetchRequest.Read(ref r, 7));
        Assert.True(read.RequireStable);
        Assert.Equal([0, 1], Assert.Single(read.Topics!).PartitionIndexes);

        byte[] response = new WireBuilder().I32(0).CArr(1).CStr("orders").CArr(2)
            .I32(0).I64(42).I32(0).CStr("").I16(0).NoTags()
            .I32(1).I64(-1).I32(-1).CStr("").I16(0).NoTags()
            .NoTags().I16(0).NoTags().ToArray();
        var answer = new OffsetFetchResponse();
        var topic = new OffsetFetchResponse.Topic { Name = "orders" };
        topic.Partitions.Add(new OffsetFetchResponse.Partition { PartitionIndex = 0, CommittedOffset = 42, CommittedLeaderEpoch = 0 });
        topic.Partitions.Add(new OffsetFetchResponse.Partition { PartitionIndex = 1 });
        answer.Topics.Add(topic);
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 7)));
        OffsetFetchResponse back = GroupCodec.DecodeFixture(response, (ref KafkaReader r) => OffsetFetchResponse.Read(ref r, 7));
        Assert.Equal((42L, 0, ""), (back.Topics[0].Partitions[0].CommittedOffset, back.Topics[0].Partitions[0].CommittedLeaderEpoch,
            back.Topics[0].Partitions[0].Metadata));
        Assert.Equal(-1, back.Topics[0].Partitions[1].CommittedOffset);
    }

    // Goal: OffsetFetch v9 as librdkafka 2.16 sends it: one group with null member id and epoch -1 (classic group),
    // RequireStable true; the response groups topics under their group with a group-level error code.
    [Fact]
    public void OffsetFetchV9()
    {
        byte[] request = new WireBuilder().CArr(1)
            .CStr(Group).CNullStr().I32(-1).CArr(1).CStr("orders").CArr(1).I32(0).NoTags().NoTags()
            .Bool(true).NoTags().ToArray();
        var built = new OffsetFetchRequest { RequireStable = true };
        var group = new OffsetFetchRequest.Group { GroupId = Group };
        group.Topics!.Add(new OffsetFetchRequest.Topic { Name = "orders", PartitionIndexes = [0] });
        built.Groups.Add(group);
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 9)));
        OffsetFetchRequest read = GroupCodec.DecodeFixture(request, (ref KafkaReader r) => OffsetFetchRequest.Read(ref r, 9));
        OffsetFetchRequest.Group g = Assert.Single(read.RequestedGroups(9));
        Assert.Equal((Group, null, -1), (g.GroupId, g.MemberId, g.MemberEpoch));
        Assert.Equal("orders", Assert.Single(g.Topics!).Name);

        byte[] response = new WireBuilder().I32(0).CArr(1)
            .CStr(Group).CArr(1).CStr("orders").CArr(1).I32(0).I64(42).I32(0).CStr("").I16(0).NoTags().NoTags()
            .I16(0).NoTags()
            .NoTags().ToArray();
        var answer = new OffsetFetchResponse();
        var rg = new OffsetFetchResponse.Group { GroupId = Group };
        var topic = new OffsetFetchResponse.Topic { Name = "orders" };
        topic.Partitions.Add(new OffsetFetchResponse.Partition { PartitionIndex = 0, CommittedOffset = 42, CommittedLeaderEpoch = 0 });
        rg.Topics.Add(topic);
        answer.Groups.Add(rg);
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 9)));
        OffsetFetchResponse back = GroupCodec.DecodeFixture(response, (ref KafkaReader r) => OffsetFetchResponse.Read(ref r, 9));
        Assert.Equal(42, back.Groups[0].Topics[0].Partitions[0].CommittedOffset);
    }
}
