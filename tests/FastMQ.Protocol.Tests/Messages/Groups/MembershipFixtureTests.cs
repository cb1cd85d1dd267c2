using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages.Groups;

/// <summary>
/// Hand-assembled byte fixtures, field by field from the Kafka schemas, for the membership versions the clients send
/// (kafka-protocol.md §8): FindCoordinator v2 (kcat, librdkafka, kafkajs) and v4 (platformatic), JoinGroup v5,
/// SyncGroup v3, Heartbeat v3, LeaveGroup v1 (librdkafka) and v3 (kafkajs). Each fixture is both encoded (must match
/// byte for byte) and decoded (fields checked, every truncation refused).
/// </summary>
public class MembershipFixtureTests
{
    private const string Group = "fastmq-orders";

    // A subscription v1 to "orders" with null user data and no owned partitions, as librdkafka 2.0.2 builds it.
    private static byte[] SubscriptionV1() =>
        new WireBuilder().I16(1).Arr(1).Str("orders").I32(-1).Arr(0).ToArray();

    // An assignment v0 of orders partitions 0 and 1 with empty user data.
    private static byte[] AssignmentV0() =>
        new WireBuilder().I16(0).Arr(1).Str("orders").Arr(2).I32(0).I32(1).I32(0).ToArray();

    // Goal: FindCoordinator v2 request (Key, KeyType) and response (throttle, error, message, node, host, port).
    [Fact]
    public void FindCoordinatorV2()
    {
        byte[] request = new WireBuilder().Str(Group).I8(0).ToArray();
        var built = new FindCoordinatorRequest { Key = Group, KeyType = FindCoordinatorRequest.GroupKeyType };
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 2)));
        FindCoordinatorRequest read = GroupCodec.DecodeFixture(request, (ref KafkaReader r) => FindCoordinatorRequest.Read(ref r, 2));
        Assert.Equal(Group, Assert.Single(read.RequestedKeys(2)));

        byte[] response = new WireBuilder().I32(0).I16(0).NullStr().I32(1).Str("127.0.0.1").I32(9092).ToArray();
        var answer = new FindCoordinatorResponse { NodeId = 1, Host = "127.0.0.1", Port = 9092 };
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 2)));
        FindCoordinatorResponse back = GroupCodec.DecodeFixture(response, (ref KafkaReader r) => FindCoordinatorResponse.Read(ref r, 2));
        Assert.Equal((ErrorCode.None, null, 1, "127.0.0.1", 9092), (back.ErrorCode, back.ErrorMessage, back.NodeId, back.Host, back.Port));
    }

    // Goal: FindCoordinator v4 (flexible, batched): request KeyType then compact CoordinatorKeys; response one
    // Coordinator per key with its own error, each struct closed by an empty tag section.
    [Fact]
    public void FindCoordinatorV4()
    {
        byte[] request = new WireBuilder().I8(0).CArr(2).CStr(Group).CStr("audit-app").NoTags().ToArray();
        var built = new FindCoordinatorRequest();
        built.CoordinatorKeys.AddRange([Group, "audit-app"]);
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 4)));
        FindCoordinatorRequest read = GroupCodec.DecodeFixture(request, (ref KafkaReader r) => FindCoordinatorRequest.Read(ref r, 4));
        Assert.Equal([Group, "audit-app"], read.RequestedKeys(4));

        byte[] response = new WireBuilder().I32(0).CArr(2)
            .CStr(Group).I32(1).CStr("127.0.0.1").I32(9092).I16(0).CNullStr().NoTags()
            .CStr("audit-app").I32(-1).CStr("").I32(-1).I16(15).CStr("loading").NoTags()
            .NoTags().ToArray();
        var answer = new FindCoordinatorResponse();
        answer.Coordinators.Add(new FindCoordinatorResponse.Coordinator { Key = Group, NodeId = 1, Host = "127.0.0.1", Port = 9092 });
        answer.Coordinators.Add(new FindCoordinatorResponse.Coordinator
        {
            Key = "audit-app",
            ErrorCode = ErrorCode.CoordinatorNotAvailable,
            ErrorMessage = "loading",
        });
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 4)));
        FindCoordinatorResponse back = GroupCodec.DecodeFixture(response, (ref KafkaReader r) => FindCoordinatorResponse.Read(ref r, 4));
        Assert.Equal(2, back.Coordinators.Count);
        Assert.Equal(("127.0.0.1", 9092), (back.Coordinators[0].Host, back.Coordinators[0].Port));
        Assert.Equal(ErrorCode.CoordinatorNotAvailable, back.Coordinators[1].ErrorCode);
    }

    // Goal: JoinGroup v5 request as librdkafka sends its first join: empty member id, null instance id, two
    // assignors each carrying a subscription v1; the metadata decodes as a consumer subscription.
    [Fact]
    public void JoinGroupV5Request()
    {
        byte[] sub = SubscriptionV1();
        byte[] request = new WireBuilder().Str(Group).I32(45000).I32(300000).Str("").NullStr().Str("consumer")
            .Arr(2).Str("range").Bytes(sub).Str("roundrobin").Bytes(sub).ToArray();
        var built = new JoinGroupRequest
        {
            GroupId = Group,
            SessionTimeoutMs = 45000,
            RebalanceTimeoutMs = 300000,
            ProtocolType = "consumer",
        };
        built.Protocols.Add(new JoinGroupRequest.Protocol { Name = "range", Metadata = sub });
        built.Protocols.Add(new JoinGroupRequest.Protocol { Name = "roundrobin", Metadata = sub });
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 5)));

        JoinGroupRequest read = GroupCodec.DecodeFixture(request, (ref KafkaReader r) => JoinGroupRequest.Read(ref r, 5));
        Assert.Equal((Group, 45000, 300000, "", null), (read.GroupId, read.SessionTimeoutMs, read.RebalanceTimeoutMs, read.MemberId, read.GroupInstanceId));
        Assert.Equal("roundrobin", read.Protocols[1].Name);
        ConsumerProtocolSubscription subscription = ConsumerProtocolSubscription.Decode(read.Protocols[0].Metadata);
        Assert.Equal(1, subscription.Version);
        Assert.Equal("orders", Assert.Single(subscription.Topics));
        Assert.Null(subscription.UserData);
    }

    // Goal: JoinGroup v5 responses: the leader's answer (throttle, error, generation, protocol, leader, member id,
    // members with instance id and metadata) and the MEMBER_ID_REQUIRED answer with "" protocol and no members.
    [Fact]
    public void JoinGroupV5Response()
    {
        byte[] sub = SubscriptionV1();
        byte[] leader = new WireBuilder().I32(0).I16(0).I32(1).Str("range").Str("rdkafka-a").Str("rdkafka-a")
            .Arr(2).Str("rdkafka-a").NullStr().Bytes(sub).Str("rdkafka-b").Str("host-b").Bytes(sub).ToArray();
        var answer = new JoinGroupResponse { GenerationId = 1, ProtocolName = "range", Leader = "rdkafka-a", MemberId = "rdkafka-a" };
        answer.Members.Add(new JoinGroupResponse.Member { MemberId = "rdkafka-a", Metadata = sub });
        answer.Members.Add(new JoinGroupResponse.Member { MemberId = "rdkafka-b", GroupInstanceId = "host-b", Metadata = sub });
        Assert.Equal(leader, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 5)));
        JoinGroupResponse back = GroupCodec.DecodeFixture(leader, (ref KafkaReader r) => JoinGroupResponse.Read(ref r, 5));
        Assert.Equal((1, "range", "rdkafka-a"), (back.GenerationId, back.ProtocolName, back.Leader));
        Assert.Equal("host-b", back.Members[1].GroupInstanceId);
        Assert.Equal(sub, back.Members[1].Metadata);

        byte[] memberIdRequired = new WireBuilder().I32(0).I16(79).I32(-1).Str("").Str("").Str("rdkafka-a").Arr(0).ToArray();
        var required = new JoinGroupResponse { ErrorCode = ErrorCode.MemberIdRequired, MemberId = "rdkafka-a" };
        Assert.Equal(memberIdRequired, Codec.Encode((ref KafkaWriter w) => required.Write(ref w, 5)));
        JoinGroupResponse r2 = GroupCodec.DecodeFixture(memberIdRequired, (ref KafkaReader r) => JoinGroupResponse.Read(ref r, 5));
        Assert.Equal((ErrorCode.MemberIdRequired, "rdkafka-a"), (r2.ErrorCode, r2.MemberId));
    }

    // Goal: SyncGroup v3 request from the leader (instance id null, one assignment) and the response carrying this
    // member's assignment v0, which decodes as a consumer assignment.
    [Fact]
    public void SyncGroupV3()
    {
        byte[] assignment = AssignmentV0();
        byte[] request = new WireBuilder().Str(Group).I32(1).Str("rdkafka-a").NullStr()
            .Arr(1).Str("rdkafka-a").Bytes(assignment).ToArray();
        var built = new SyncGroupRequest { GroupId = Group, GenerationId = 1, MemberId = "rdkafka-a" };
        built.Assignments.Add(new SyncGroupRequest.Assignment { MemberId = "rdkafka-a", Data = assignment });
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 3)));
        SyncGroupRequest read = GroupCodec.DecodeFixture(request, (ref KafkaReader r) => SyncGroupRequest.Read(ref r, 3));
        Assert.Equal(assignment, Assert.Single(read.Assignments).Data);

        byte[] response = new WireBuilder().I32(0).I16(0).Bytes(assignment).ToArray();
        var answer = new SyncGroupResponse { Assignment = assignment };
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 3)));
        SyncGroupResponse back = GroupCodec.DecodeFixture(response, (ref KafkaReader r) => SyncGroupResponse.Read(ref r, 3));
        ConsumerProtocolAssignment decoded = ConsumerProtocolAssignment.Decode(back.Assignment);
        ConsumerProtocolTopicPartitions orders = Assert.Single(decoded.AssignedPartitions);
        Assert.Equal("orders", orders.Topic);
        Assert.Equal([0, 1], orders.Partitions);
        Assert.Equal([], decoded.UserData!);
    }

    // Goal: Heartbeat v3 request (with null instance id) and a REBALANCE_IN_PROGRESS response.
    [Fact]
    public void HeartbeatV3()
    {
        byte[] request = new WireBuilder().Str(Group).I32(7).Str("rdkafka-a").NullStr().ToArray();
        var built = new HeartbeatRequest { GroupId = Group, GenerationId = 7, MemberId = "rdkafka-a" };
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 3)));
        HeartbeatRequest read = GroupCodec.DecodeFixture(request, (ref KafkaReader r) => HeartbeatRequest.Read(ref r, 3));
        Assert.Equal((Group, 7, "rdkafka-a", null), (read.GroupId, read.GenerationId, read.MemberId, read.GroupInstanceId));

        byte[] response = new WireBuilder().I32(0).I16(27).ToArray();
        var answer = new HeartbeatResponse { ErrorCode = ErrorCode.RebalanceInProgress };
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 3)));
        Assert.Equal(ErrorCode.RebalanceInProgress,
            GroupCodec.DecodeFixture(response, (ref KafkaReader r) => HeartbeatResponse.Read(ref r, 3)).ErrorCode);
    }

    // Goal: LeaveGroup v1 (librdkafka): group id and one member id; response throttle and error.
    [Fact]
    public void LeaveGroupV1()
    {
        byte[] request = new WireBuilder().Str(Group).Str("rdkafka-a").ToArray();
        var built = new LeaveGroupRequest { GroupId = Group, MemberId = "rdkafka-a" };
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 1)));
        LeaveGroupRequest read = GroupCodec.DecodeFixture(request, (ref KafkaReader r) => LeaveGroupRequest.Read(ref r, 1));
        Assert.Equal("rdkafka-a", Assert.Single(read.LeavingMembers(1)).MemberId);

        byte[] response = new WireBuilder().I32(0).I16(25).ToArray();
        var answer = new LeaveGroupResponse { ErrorCode = ErrorCode.UnknownMemberId };
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 1)));
        Assert.Equal(ErrorCode.UnknownMemberId,
            GroupCodec.DecodeFixture(response, (ref KafkaReader r) => LeaveGroupResponse.Read(ref r, 1)).ErrorCode);
    }

    // Goal: LeaveGroup v3 (kafkajs): batched members with nullable instance ids; per-member results in the response.
    [Fact]
    public void LeaveGroupV3()
    {
        byte[] request = new WireBuilder().Str(Group).Arr(1).Str("kafkajs-1").NullStr().ToArray();
        var built = new LeaveGroupRequest { GroupId = Group };
        built.Members.Add(new LeaveGroupRequest.Member { MemberId = "kafkajs-1" });
        Assert.Equal(request, Codec.Encode((ref KafkaWriter w) => built.Write(ref w, 3)));
        LeaveGroupRequest read = GroupCodec.DecodeFixture(request, (ref KafkaReader r) => LeaveGroupRequest.Read(ref r, 3));
        LeaveGroupRequest.Member member = Assert.Single(read.LeavingMembers(3));
        Assert.Equal(("kafkajs-1", null), (member.MemberId, member.GroupInstanceId));

        byte[] response = new WireBuilder().I32(0).I16(0).Arr(1).Str("kafkajs-1").NullStr().I16(0).ToArray();
        var answer = new LeaveGroupResponse();
        answer.Members.Add(new LeaveGroupResponse.Member { MemberId = "kafkajs-1" });
        Assert.Equal(response, Codec.Encode((ref KafkaWriter w) => answer.Write(ref w, 3)));
        LeaveGroupResponse back = GroupCodec.DecodeFixture(response, (ref KafkaReader r) => LeaveGroupResponse.Read(ref r, 3));
        Assert.Equal(("kafkajs-1", ErrorCode.None), (back.Members[0].MemberId, back.Members[0].ErrorCode));
    }
}
