using System.Collections.Generic;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages.Groups;

/// <summary>Round trips at every advertised version for the group admin APIs: ListGroups, DescribeGroups, DeleteGroups.</summary>
public class GroupAdminRoundTripTests
{
    public static IEnumerable<object[]> ListGroupsVersions() => GroupCodec.Versions(0, 5);

    public static IEnumerable<object[]> DescribeGroupsVersions() => GroupCodec.Versions(0, 5);

    public static IEnumerable<object[]> DeleteGroupsVersions() => GroupCodec.Versions(0, 2);

    // Goal: ListGroups round-trips 0-5: state filter and group state from v4, type filter and group type from v5.
    [Theory]
    [MemberData(nameof(ListGroupsVersions))]
    public void ListGroupsRoundTrips(short version)
    {
        var request = new ListGroupsRequest();
        request.StatesFilter.AddRange(["Stable", "Empty"]);
        request.TypesFilter.Add("classic");
        ListGroupsRequest back = GroupCodec.RoundTrip<ListGroupsRequest>(
            (ref KafkaWriter w) => request.Write(ref w, version),
            (ref KafkaReader r) => ListGroupsRequest.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 4 ? 2 : 0, back.StatesFilter.Count);
        Assert.Equal(version >= 5 ? 1 : 0, back.TypesFilter.Count);

        var response = new ListGroupsResponse { ThrottleTimeMs = 6 };
        response.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = "orders-app", ProtocolType = "consumer", GroupState = "Stable", GroupType = "classic" });
        response.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = "offsets-only", ProtocolType = "", GroupState = "Empty", GroupType = "classic" });
        ListGroupsResponse rb = GroupCodec.RoundTrip<ListGroupsResponse>(
            (ref KafkaWriter w) => response.Write(ref w, version),
            (ref KafkaReader r) => ListGroupsResponse.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 1 ? 6 : 0, rb.ThrottleTimeMs);
        Assert.Equal(("orders-app", "consumer"), (rb.Groups[0].GroupId, rb.Groups[0].ProtocolType));
        Assert.Equal(version >= 4 ? "Stable" : "", rb.Groups[0].GroupState);
        Assert.Equal(version >= 5 ? "classic" : "", rb.Groups[0].GroupType);
        Assert.Equal("", rb.Groups[1].ProtocolType);
    }

    // Goal: DescribeGroups round-trips 0-5: IncludeAuthorizedOperations and AuthorizedOperations from v3, member
    // instance ids from v4; member metadata and assignment bytes travel unchanged.
    [Theory]
    [MemberData(nameof(DescribeGroupsVersions))]
    public void DescribeGroupsRoundTrips(short version)
    {
        var request = new DescribeGroupsRequest { IncludeAuthorizedOperations = true };
        request.Groups.AddRange(["orders-app", "missing"]);
        DescribeGroupsRequest back = GroupCodec.RoundTrip<DescribeGroupsRequest>(
            (ref KafkaWriter w) => request.Write(ref w, version),
            (ref KafkaReader r) => DescribeGroupsRequest.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(["orders-app", "missing"], back.Groups);
        Assert.Equal(version >= 3, back.IncludeAuthorizedOperations);

        var response = new DescribeGroupsResponse { ThrottleTimeMs = 8 };
        var stable = new DescribeGroupsResponse.DescribedGroup
        {
            GroupId = "orders-app",
            GroupState = "Stable",
            ProtocolType = "consumer",
            ProtocolData = "range",
            AuthorizedOperations = 0x0F,
        };
        stable.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
        {
            MemberId = "rdkafka-1",
            GroupInstanceId = "host-a",
            ClientId = "rdkafka",
            ClientHost = "/10.0.0.5",
            MemberMetadata = [0, 1, 0, 0, 0, 0],
            MemberAssignment = [0, 0, 0, 0, 0, 0, 255, 255, 255, 255],
        });
        response.Groups.Add(stable);
        response.Groups.Add(new DescribeGroupsResponse.DescribedGroup { GroupId = "missing", GroupState = "Dead" });
        DescribeGroupsResponse rb = GroupCodec.RoundTrip<DescribeGroupsResponse>(
            (ref KafkaWriter w) => response.Write(ref w, version),
            (ref KafkaReader r) => DescribeGroupsResponse.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 1 ? 8 : 0, rb.ThrottleTimeMs);
        DescribeGroupsResponse.DescribedGroup g = rb.Groups[0];
        Assert.Equal(("Stable", "consumer", "range"), (g.GroupState, g.ProtocolType, g.ProtocolData));
        Assert.Equal(version >= 3 ? 0x0F : DescribeGroupsResponse.AuthorizedOperationsOmitted, g.AuthorizedOperations);
        DescribeGroupsResponse.DescribedGroupMember m = Assert.Single(g.Members);
        Assert.Equal(version >= 4 ? "host-a" : null, m.GroupInstanceId);
        Assert.Equal(("rdkafka", "/10.0.0.5"), (m.ClientId, m.ClientHost));
        Assert.Equal([0, 1, 0, 0, 0, 0], m.MemberMetadata);
        Assert.Equal([0, 0, 0, 0, 0, 0, 255, 255, 255, 255], m.MemberAssignment);
        Assert.Equal("Dead", rb.Groups[1].GroupState);
        Assert.Empty(rb.Groups[1].Members);
    }

    // Goal: DeleteGroups round-trips 0-2 with several groups and per-group errors.
    [Theory]
    [MemberData(nameof(DeleteGroupsVersions))]
    public void DeleteGroupsRoundTrips(short version)
    {
        var request = new DeleteGroupsRequest();
        request.GroupsNames.AddRange(["old-app", "busy-app"]);
        DeleteGroupsRequest back = GroupCodec.RoundTrip<DeleteGroupsRequest>(
            (ref KafkaWriter w) => request.Write(ref w, version),
            (ref KafkaReader r) => DeleteGroupsRequest.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(["old-app", "busy-app"], back.GroupsNames);

        var response = new DeleteGroupsResponse { ThrottleTimeMs = 1 };
        response.Results.Add(new DeleteGroupsResponse.Result { GroupId = "old-app" });
        response.Results.Add(new DeleteGroupsResponse.Result { GroupId = "busy-app", ErrorCode = (ErrorCode)68 });
        DeleteGroupsResponse rb = GroupCodec.RoundTrip<DeleteGroupsResponse>(
            (ref KafkaWriter w) => response.Write(ref w, version),
            (ref KafkaReader r) => DeleteGroupsResponse.Read(ref r, version),
            b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(1, rb.ThrottleTimeMs);
        Assert.Equal(((ErrorCode)68, ErrorCode.None), (rb.Results[1].ErrorCode, rb.Results[0].ErrorCode));
    }
}
