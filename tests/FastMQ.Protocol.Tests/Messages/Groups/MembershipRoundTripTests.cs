using System.Collections.Generic;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages.Groups;

/// <summary>
/// Round trips at every advertised version for the membership APIs: FindCoordinator, JoinGroup, SyncGroup, Heartbeat,
/// LeaveGroup. Each test also checks which fields travel in that version and that every truncation is refused.
/// </summary>
public class MembershipRoundTripTests
{
    public static IEnumerable<object[]> FindCoordinatorVersions() => GroupCodec.Versions(0, 4);

    public static IEnumerable<object[]> JoinGroupVersions() => GroupCodec.Versions(0, 9);

    public static IEnumerable<object[]> SyncGroupVersions() => GroupCodec.Versions(0, 5);

    public static IEnumerable<object[]> HeartbeatVersions() => GroupCodec.Versions(0, 4);

    public static IEnumerable<object[]> LeaveGroupVersions() => GroupCodec.Versions(0, 5);

    // Goal: FindCoordinator round-trips 0-4; one key up to v3, batched keys from v4, KeyType from v1.
    // Method: encode a request/response holding both forms, decode, re-encode, compare, check the gated fields.
    [Theory]
    [MemberData(nameof(FindCoordinatorVersions))]
    public void FindCoordinatorRoundTrips(short version)
    {
        var request = new FindCoordinatorRequest { Key = "orders-app", KeyType = FindCoordinatorRequest.TransactionKeyType };
        request.CoordinatorKeys.AddRange(["g1", "g2"]);
        FindCoordinatorRequest back = GroupCodec.RoundTrip<FindCoordinatorRequest>(
            (ref KafkaWriter w) => request.Write(ref w, version),
            (ref KafkaReader r) => FindCoordinatorRequest.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version <= 3 ? "orders-app" : "", back.Key);
        Assert.Equal(version >= 1 ? FindCoordinatorRequest.TransactionKeyType : FindCoordinatorRequest.GroupKeyType, back.KeyType);
        Assert.Equal(version >= 4 ? ["g1", "g2"] : ["orders-app"], back.RequestedKeys(version));

        var response = new FindCoordinatorResponse
        {
            ThrottleTimeMs = 5,
            ErrorCode = ErrorCode.CoordinatorLoadInProgress,
            ErrorMessage = "loading",
            NodeId = 1,
            Host = "broker-1",
            Port = 9092,
        };
        response.Coordinators.Add(new FindCoordinatorResponse.Coordinator { Key = "g1", NodeId = 1, Host = "broker-1", Port = 9092 });
        response.Coordinators.Add(new FindCoordinatorResponse.Coordinator
        {
            Key = "g2",
            NodeId = -1,
            Host = "",
            Port = -1,
            ErrorCode = ErrorCode.CoordinatorNotAvailable,
            ErrorMessage = "not ready",
        });
        FindCoordinatorResponse rb = GroupCodec.RoundTrip<FindCoordinatorResponse>(
            (ref KafkaWriter w) => response.Write(ref w, version),
            (ref KafkaReader r) => FindCoordinatorResponse.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 1 ? 5 : 0, rb.ThrottleTimeMs);
        if (version <= 3)
        {
            Assert.Equal(ErrorCode.CoordinatorLoadInProgress, rb.ErrorCode);
            Assert.Equal(version >= 1 ? "loading" : null, rb.ErrorMessage);
            Assert.Equal(("broker-1", 9092, 1), (rb.Host, rb.Port, rb.NodeId));
            Assert.Empty(rb.Coordinators);
        }
        else
        {
            Assert.Equal(ErrorCode.None, rb.ErrorCode);
            Assert.Equal("", rb.Host);
            Assert.Equal(2, rb.Coordinators.Count);
            Assert.Null(rb.Coordinators[0].ErrorMessage);
            Assert.Equal(("g2", ErrorCode.CoordinatorNotAvailable, "not ready"),
                (rb.Coordinators[1].Key, rb.Coordinators[1].ErrorCode, rb.Coordinators[1].ErrorMessage));
        }
    }

    // Goal: JoinGroup round-trips 0-9 with RebalanceTimeout (1+), GroupInstanceId (5+), Reason (8+), and on the
    // response ProtocolType (7+), SkipAssignment (9+) and member instance ids (5+).
    [Theory]
    [MemberData(nameof(JoinGroupVersions))]
    public void JoinGroupRoundTrips(short version)
    {
        var request = new JoinGroupRequest
        {
            GroupId = "orders-app",
            SessionTimeoutMs = 45000,
            RebalanceTimeoutMs = 300000,
            MemberId = "rdkafka-1",
            GroupInstanceId = "host-a",
            ProtocolType = "consumer",
            Reason = "topic metadata changed",
        };
        request.Protocols.Add(new JoinGroupRequest.Protocol { Name = "range", Metadata = [0, 1, 2, 3] });
        request.Protocols.Add(new JoinGroupRequest.Protocol { Name = "roundrobin", Metadata = [] });
        JoinGroupRequest back = GroupCodec.RoundTrip<JoinGroupRequest>(
            (ref KafkaWriter w) => request.Write(ref w, version),
            (ref KafkaReader r) => JoinGroupRequest.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(("orders-app", 45000, "rdkafka-1", "consumer"), (back.GroupId, back.SessionTimeoutMs, back.MemberId, back.ProtocolType));
        Assert.Equal(version >= 1 ? 300000 : -1, back.RebalanceTimeoutMs);
        Assert.Equal(version >= 5 ? "host-a" : null, back.GroupInstanceId);
        Assert.Equal(version >= 8 ? "topic metadata changed" : null, back.Reason);
        Assert.Equal(["range", "roundrobin"], back.Protocols.ConvertAll(p => p.Name));
        Assert.Equal([0, 1, 2, 3], back.Protocols[0].Metadata);
        Assert.Empty(back.Protocols[1].Metadata);

        var response = new JoinGroupResponse
        {
            ThrottleTimeMs = 7,
            GenerationId = 3,
            ProtocolType = "consumer",
            ProtocolName = "range",
            Leader = "rdkafka-1",
            SkipAssignment = true,
            MemberId = "rdkafka-1",
        };
        response.Members.Add(new JoinGroupResponse.Member { MemberId = "rdkafka-1", Metadata = [9, 9] });
        response.Members.Add(new JoinGroupResponse.Member { MemberId = "rdkafka-2", GroupInstanceId = "host-b", Metadata = [] });
        JoinGroupResponse rb = GroupCodec.RoundTrip<JoinGroupResponse>(
            (ref KafkaWriter w) => response.Write(ref w, version),
            (ref KafkaReader r) => JoinGroupResponse.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 2 ? 7 : 0, rb.ThrottleTimeMs);
        Assert.Equal((3, "range", "rdkafka-1", "rdkafka-1"), (rb.GenerationId, rb.ProtocolName, rb.Leader, rb.MemberId));
        Assert.Equal(version >= 7 ? "consumer" : null, rb.ProtocolType);
        Assert.Equal(version >= 9, rb.SkipAssignment);
        Assert.Null(rb.Members[0].GroupInstanceId);
        Assert.Equal(version >= 5 ? "host-b" : null, rb.Members[1].GroupInstanceId);
        Assert.Equal([9, 9], rb.Members[0].Metadata);
    }

    // Goal: a JoinGroup error answer without a chosen protocol round-trips: null name from v7, "" before (the field is
    // not nullable there).
    [Theory]
    [MemberData(nameof(JoinGroupVersions))]
    public void JoinGroupErrorAnswerRoundTrips(short version)
    {
        var response = new JoinGroupResponse { ErrorCode = ErrorCode.MemberIdRequired, MemberId = "rdkafka-7f3a" };
        JoinGroupResponse rb = GroupCodec.RoundTrip<JoinGroupResponse>(
            (ref KafkaWriter w) => response.Write(ref w, version),
            (ref KafkaReader r) => JoinGroupResponse.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal((ErrorCode.MemberIdRequired, -1, "rdkafka-7f3a"), (rb.ErrorCode, rb.GenerationId, rb.MemberId));
        Assert.Equal(version >= 7 ? null : "", rb.ProtocolName);
        Assert.Empty(rb.Members);
    }

    // Goal: SyncGroup round-trips 0-5 with GroupInstanceId (3+) and ProtocolType/Name (5+) on both sides.
    [Theory]
    [MemberData(nameof(SyncGroupVersions))]
    public void SyncGroupRoundTrips(short version)
    {
        var request = new SyncGroupRequest
        {
            GroupId = "orders-app",
            GenerationId = 4,
            MemberId = "m-1",
            GroupInstanceId = "host-a",
            ProtocolType = "consumer",
            ProtocolName = "roundrobin",
        };
        request.Assignments.Add(new SyncGroupRequest.Assignment { MemberId = "m-1", Data = [0, 0, 0, 0, 0, 1] });
        request.Assignments.Add(new SyncGroupRequest.Assignment { MemberId = "m-2", Data = [] });
        SyncGroupRequest back = GroupCodec.RoundTrip<SyncGroupRequest>(
            (ref KafkaWriter w) => request.Write(ref w, version),
            (ref KafkaReader r) => SyncGroupRequest.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(("orders-app", 4, "m-1"), (back.GroupId, back.GenerationId, back.MemberId));
        Assert.Equal(version >= 3 ? "host-a" : null, back.GroupInstanceId);
        Assert.Equal(version >= 5 ? ("consumer", "roundrobin") : (null, null), (back.ProtocolType, back.ProtocolName));
        Assert.Equal([0, 0, 0, 0, 0, 1], back.Assignments[0].Data);
        Assert.Equal("m-2", back.Assignments[1].MemberId);

        var response = new SyncGroupResponse
        {
            ThrottleTimeMs = 2,
            ErrorCode = ErrorCode.RebalanceInProgress,
            ProtocolType = "consumer",
            ProtocolName = "roundrobin",
            Assignment = [1, 2, 3],
        };
        SyncGroupResponse rb = GroupCodec.RoundTrip<SyncGroupResponse>(
            (ref KafkaWriter w) => response.Write(ref w, version),
            (ref KafkaReader r) => SyncGroupResponse.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 1 ? 2 : 0, rb.ThrottleTimeMs);
        Assert.Equal(ErrorCode.RebalanceInProgress, rb.ErrorCode);
        Assert.Equal(version >= 5 ? "roundrobin" : null, rb.ProtocolName);
        Assert.Equal([1, 2, 3], rb.Assignment);
    }

    // Goal: Heartbeat round-trips 0-4 with GroupInstanceId (3+) and throttle time (1+).
    [Theory]
    [MemberData(nameof(HeartbeatVersions))]
    public void HeartbeatRoundTrips(short version)
    {
        var request = new HeartbeatRequest { GroupId = "orders-app", GenerationId = 12, MemberId = "m-1", GroupInstanceId = "host-a" };
        HeartbeatRequest back = GroupCodec.RoundTrip<HeartbeatRequest>(
            (ref KafkaWriter w) => request.Write(ref w, version),
            (ref KafkaReader r) => HeartbeatRequest.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(("orders-app", 12, "m-1"), (back.GroupId, back.GenerationId, back.MemberId));
        Assert.Equal(version >= 3 ? "host-a" : null, back.GroupInstanceId);

        var response = new HeartbeatResponse { ThrottleTimeMs = 11, ErrorCode = ErrorCode.IllegalGeneration };
        HeartbeatResponse rb = GroupCodec.RoundTrip<HeartbeatResponse>(
            (ref KafkaWriter w) => response.Write(ref w, version),
            (ref KafkaReader r) => HeartbeatResponse.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 1 ? 11 : 0, rb.ThrottleTimeMs);
        Assert.Equal(ErrorCode.IllegalGeneration, rb.ErrorCode);
    }

    // Goal: LeaveGroup round-trips 0-5: one member id up to v2, batched members (3+) with reasons (5+).
    [Theory]
    [MemberData(nameof(LeaveGroupVersions))]
    public void LeaveGroupRoundTrips(short version)
    {
        var request = new LeaveGroupRequest { GroupId = "orders-app", MemberId = "m-0" };
        request.Members.Add(new LeaveGroupRequest.Member { MemberId = "m-1", GroupInstanceId = "host-a", Reason = "shutting down" });
        request.Members.Add(new LeaveGroupRequest.Member { MemberId = "m-2" });
        LeaveGroupRequest back = GroupCodec.RoundTrip<LeaveGroupRequest>(
            (ref KafkaWriter w) => request.Write(ref w, version),
            (ref KafkaReader r) => LeaveGroupRequest.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        IReadOnlyList<LeaveGroupRequest.Member> leaving = back.LeavingMembers(version);
        if (version <= 2)
        {
            Assert.Empty(back.Members);
            Assert.Equal("m-0", Assert.Single(leaving).MemberId);
        }
        else
        {
            Assert.Equal("", back.MemberId);
            Assert.Equal(2, leaving.Count);
            Assert.Equal(("m-1", "host-a"), (leaving[0].MemberId, leaving[0].GroupInstanceId));
            Assert.Equal(version >= 5 ? "shutting down" : null, leaving[0].Reason);
            Assert.Null(leaving[1].GroupInstanceId);
        }

        var response = new LeaveGroupResponse { ThrottleTimeMs = 3, ErrorCode = ErrorCode.None };
        response.Members.Add(new LeaveGroupResponse.Member { MemberId = "m-1", GroupInstanceId = "host-a" });
        response.Members.Add(new LeaveGroupResponse.Member { MemberId = "m-2", ErrorCode = ErrorCode.UnknownMemberId });
        LeaveGroupResponse rb = GroupCodec.RoundTrip<LeaveGroupResponse>(
            (ref KafkaWriter w) => response.Write(ref w, version),
            (ref KafkaReader r) => LeaveGroupResponse.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 1 ? 3 : 0, rb.ThrottleTimeMs);
        Assert.Equal(version >= 3 ? 2 : 0, rb.Members.Count);
        if (version >= 3)
        {
            Assert.Equal(("m-2", null, ErrorCode.UnknownMemberId),
                (rb.Members[1].MemberId, rb.Members[1].GroupInstanceId, rb.Members[1].ErrorCode));
        }
    }
}
