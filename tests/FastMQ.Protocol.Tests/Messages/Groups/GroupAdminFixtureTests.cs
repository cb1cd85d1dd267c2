using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages.Groups;

/// <summary>
/// Hand-assembled byte fixtures for the group admin APIs at the versions admin tools use, so field order is checked
/// against the schema and not only against the codec itself (round trips cannot see a swapped pair of fields).
/// </summary>
public class GroupAdminFixtureTests
{
    private const string Group = "fastmq-orders";

    // Goal: DescribeGroups v5 (flexible) request and a Stable group's response with one member, byte for byte.
    [Fact]
    public void DescribeGroupsV5()
    {
        byte[] request = new WireBuilder().CArr(1).CStr(Group).Bool(false).NoTags().ToArray();
        var built = new DescribeGroupsRequest();
        built.Groups.Add(Group);
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 5)));
        Assert.Equal(Group, Assert.Single(GroupCodec.DecodeFixture(request, (ref KafkaReader r) => DescribeGroupsRequest.Read(ref r, 5)).Groups));

        byte[] metadata = [0, 0, 0, 0, 0, 0, 255, 255, 255, 255];
        byte[] assignment = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] response = new WireBuilder().I32(0).CArr(1)
            .I16(0).CStr(Group).CStr("Stable").CStr("consumer").CStr("range")
            .CArr(1).CStr("rdkafka-a").CNullStr().CStr("rdkafka").CStr("/127.0.0.1").CBytes(metadata).CBytes(assignment).NoTags()
            .I32(int.MinValue).NoTags()
            .NoTags().ToArray();
        var answer = new DescribeGroupsResponse();
        var group = new DescribeGroupsResponse.DescribedGroup { GroupId = Group, GroupState = "Stable", ProtocolType = "consumer", ProtocolData = "range" };
        group.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
        {
            MemberId = "rdkafka-a",
            ClientId = "rdkafka",
            ClientHost = "/127.0.0.1",
            MemberMetadata = metadata,
            MemberAssignment = assignment,
        });
        answer.Groups.Add(group);
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 5)));
        DescribeGroupsResponse back = GroupCodec.DecodeFixture(response, (ref KafkaReader r) => DescribeGroupsResponse.Read(ref r, 5));
        Assert.Equal("/127.0.0.1", back.Groups[0].Members[0].ClientHost);
        Assert.Empty(ConsumerProtocolSubscription.Decode(back.Groups[0].Members[0].MemberMetadata).Topics);
    }

    // Goal: ListGroups v4 with a state filter, and the response with the group state (no type before v5).
    [Fact]
    public void ListGroupsV4()
    {
        byte[] request = new WireBuilder().CArr(1).CStr("Stable").NoTags().ToArray();
        var built = new ListGroupsRequest();
        built.StatesFilter.Add("Stable");
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 4)));
        Assert.Equal("Stable", Assert.Single(GroupCodec.DecodeFixture(request, (ref KafkaReader r) => ListGroupsRequest.Read(ref r, 4)).StatesFilter));

        byte[] response = new WireBuilder().I32(0).I16(0).CArr(1).CStr(Group).CStr("consumer").CStr("Stable").NoTags().NoTags().ToArray();
        var answer = new ListGroupsResponse();
        answer.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = Group, ProtocolType = "consumer", GroupState = "Stable", GroupType = "classic" });
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 4)));
        ListGroupsResponse back = GroupCodec.DecodeFixture(response, (ref KafkaReader r) => ListGroupsResponse.Read(ref r, 4));
        Assert.Equal((Group, "Stable", ""), (back.Groups[0].GroupId, back.Groups[0].GroupState, back.Groups[0].GroupType));
    }

    // Goal: DeleteGroups v1 (classic) and v2 (flexible) requests and responses.
    [Fact]
    public void DeleteGroupsV1AndV2()
    {
        var built = new DeleteGroupsRequest();
        built.GroupsNames.Add(Group);
        Assert.Equal(new WireBuilder().Arr(1).Str(Group).ToArray(), Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 1)));
        byte[] request = new WireBuilder().CArr(1).CStr(Group).NoTags().ToArray();
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 2)));
        Assert.Equal(Group, Assert.Single(GroupCodec.DecodeFixture(request, (ref KafkaReader r) => DeleteGroupsRequest.Read(ref r, 2)).GroupsNames));

        var answer = new DeleteGroupsResponse();
        answer.Results.Add(new DeleteGroupsResponse.Result { GroupId = Group, ErrorCode = (ErrorCode)68 });
        Assert.Equal(new WireBuilder().I32(0).Arr(1).Str(Group).I16(68).ToArray(), Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 1)));
        byte[] response = new WireBuilder().I32(0).CArr(1).CStr(Group).I16(68).NoTags().NoTags().ToArray();
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 2)));
        Assert.Equal((ErrorCode)68, GroupCodec.DecodeFixture(response, (ref KafkaReader r) => DeleteGroupsResponse.Read(ref r, 2)).Results[0].ErrorCode);
    }

    // Goal: OffsetDelete v0, whose response puts ErrorCode before ThrottleTimeMs (unlike every other group API).
    [Fact]
    public void OffsetDeleteV0()
    {
        byte[] request = new WireBuilder().Str(Group).Arr(1).Str("orders").Arr(2).I32(0).I32(1).ToArray();
        var built = new OffsetDeleteRequest { GroupId = Group };
        built.Topics.Add(new OffsetDeleteRequest.Topic { Name = "orders", PartitionIndexes = [0, 1] });
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 0)));
        Assert.Equal([0, 1], GroupCodec.DecodeFixture(request, (ref KafkaReader r) => OffsetDeleteRequest.Read(ref r, 0)).Topics[0].PartitionIndexes);

        byte[] response = new WireBuilder().I16(0).I32(5).Arr(1).Str("orders").Arr(1).I32(0).I16(86).ToArray();
        var answer = new OffsetDeleteResponse { ThrottleTimeMs = 5 };
        var topic = new OffsetDeleteResponse.Topic { Name = "orders" };
        topic.Partitions.Add(new OffsetDeleteResponse.Partition { PartitionIndex = 0, ErrorCode = (ErrorCode)86 });
        answer.Topics.Add(topic);
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 0)));
        OffsetDeleteResponse back = GroupCodec.DecodeFixture(response, (ref KafkaReader r) => OffsetDeleteResponse.Read(ref r, 0));
        Assert.Equal((ErrorCode.None, 5, (ErrorCode)86), (back.ErrorCode, back.ThrottleTimeMs, back.Topics[0].Partitions[0].ErrorCode));
    }
}
