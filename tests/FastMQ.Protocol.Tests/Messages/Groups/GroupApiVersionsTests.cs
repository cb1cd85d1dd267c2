using FastMQ.Protocol.Messages;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages.Groups;

/// <summary>The consumer-group entries kept in <see cref="ApiVersionsTable.WithGroups"/> until the broker serves them.</summary>
public class GroupApiVersionsTests
{
    private static readonly (ApiKey Key, short Min, short Max, short Flex)[] GroupCodecs =
    [
        (ApiKey.OffsetCommit, OffsetCommitRequest.MinVersion, OffsetCommitRequest.MaxVersion, OffsetCommitRequest.FirstFlexibleVersion),
        (ApiKey.OffsetFetch, OffsetFetchRequest.MinVersion, OffsetFetchRequest.MaxVersion, OffsetFetchRequest.FirstFlexibleVersion),
        (ApiKey.FindCoordinator, FindCoordinatorRequest.MinVersion, FindCoordinatorRequest.MaxVersion, FindCoordinatorRequest.FirstFlexibleVersion),
        (ApiKey.JoinGroup, JoinGroupRequest.MinVersion, JoinGroupRequest.MaxVersion, JoinGroupRequest.FirstFlexibleVersion),
        (ApiKey.Heartbeat, HeartbeatRequest.MinVersion, HeartbeatRequest.MaxVersion, HeartbeatRequest.FirstFlexibleVersion),
        (ApiKey.LeaveGroup, LeaveGroupRequest.MinVersion, LeaveGroupRequest.MaxVersion, LeaveGroupRequest.FirstFlexibleVersion),
        (ApiKey.SyncGroup, SyncGroupRequest.MinVersion, SyncGroupRequest.MaxVersion, SyncGroupRequest.FirstFlexibleVersion),
        (ApiKey.DescribeGroups, DescribeGroupsRequest.MinVersion, DescribeGroupsRequest.MaxVersion, DescribeGroupsRequest.FirstFlexibleVersion),
        (ApiKey.ListGroups, ListGroupsRequest.MinVersion, ListGroupsRequest.MaxVersion, ListGroupsRequest.FirstFlexibleVersion),
        (ApiKey.DeleteGroups, DeleteGroupsRequest.MinVersion, DeleteGroupsRequest.MaxVersion, DeleteGroupsRequest.FirstFlexibleVersion),
        (ApiKey.OffsetDelete, OffsetDeleteRequest.MinVersion, OffsetDeleteRequest.MaxVersion, OffsetDeleteRequest.FirstFlexibleVersion),
    ];

    // Goal: WithGroups advertises exactly the §2.1 ranges, which the request and response codecs both cover, with
    // the codecs' first flexible versions; Default still advertises none of the group APIs.
    [Fact]
    public void WithGroupsMatchesTheCodecsAndDefaultStaysWithout()
    {
        (ApiKey, short, short, short)[] expected =
        [
            (ApiKey.OffsetCommit, 2, 9, 8), (ApiKey.OffsetFetch, 1, 9, 6), (ApiKey.FindCoordinator, 0, 4, 3),
            (ApiKey.JoinGroup, 0, 9, 6), (ApiKey.Heartbeat, 0, 4, 4), (ApiKey.LeaveGroup, 0, 5, 4),
            (ApiKey.SyncGroup, 0, 5, 4), (ApiKey.DescribeGroups, 0, 5, 5), (ApiKey.ListGroups, 0, 5, 3),
            (ApiKey.DeleteGroups, 0, 2, 2), (ApiKey.OffsetDelete, 0, 0, ApiVersionRange.NeverFlexible),
        ];
        Assert.Equal(expected, GroupCodecs);
        foreach ((ApiKey key, short min, short max, short flex) in GroupCodecs)
        {
            ApiVersionRange range = ApiVersionsTable.WithGroups.Get(key);
            Assert.Equal((min, max, flex, min), (range.MinVersion, range.MaxVersion, range.FirstFlexibleVersion, range.MinServedVersion));
            Assert.False(ApiVersionsTable.Default.TryGet(key, out _), $"{key} must not be advertised before the broker serves it");
        }
        (short, short, short)[] responses =
        [
            (OffsetCommitResponse.MinVersion, OffsetCommitResponse.MaxVersion, OffsetCommitResponse.FirstFlexibleVersion),
            (OffsetFetchResponse.MinVersion, OffsetFetchResponse.MaxVersion, OffsetFetchResponse.FirstFlexibleVersion),
            (FindCoordinatorResponse.MinVersion, FindCoordinatorResponse.MaxVersion, FindCoordinatorResponse.FirstFlexibleVersion),
            (JoinGroupResponse.MinVersion, JoinGroupResponse.MaxVersion, JoinGroupResponse.FirstFlexibleVersion),
            (HeartbeatResponse.MinVersion, HeartbeatResponse.MaxVersion, HeartbeatResponse.FirstFlexibleVersion),
            (LeaveGroupResponse.MinVersion, LeaveGroupResponse.MaxVersion, LeaveGroupResponse.FirstFlexibleVersion),
            (SyncGroupResponse.MinVersion, SyncGroupResponse.MaxVersion, SyncGroupResponse.FirstFlexibleVersion),
            (DescribeGroupsResponse.MinVersion, DescribeGroupsResponse.MaxVersion, DescribeGroupsResponse.FirstFlexibleVersion),
            (ListGroupsResponse.MinVersion, ListGroupsResponse.MaxVersion, ListGroupsResponse.FirstFlexibleVersion),
            (DeleteGroupsResponse.MinVersion, DeleteGroupsResponse.MaxVersion, DeleteGroupsResponse.FirstFlexibleVersion),
            (OffsetDeleteResponse.MinVersion, OffsetDeleteResponse.MaxVersion, OffsetDeleteResponse.FirstFlexibleVersion),
        ];
        for (int i = 0; i < GroupCodecs.Length; i++)
        {
            Assert.Equal((GroupCodecs[i].Min, GroupCodecs[i].Max, GroupCodecs[i].Flex), responses[i]);
        }
    }

    // Goal: WithGroups keeps every Default entry unchanged, so switching tables changes nothing but the group APIs.
    [Fact]
    public void WithGroupsExtendsDefault()
    {
        foreach (ApiVersionRange entry in ApiVersionsTable.Default.Entries)
        {
            Assert.Equal(entry, ApiVersionsTable.WithGroups.Get(entry.ApiKey));
        }
        Assert.Equal(ApiVersionsTable.Default.Entries.Length + GroupCodecs.Length, ApiVersionsTable.WithGroups.Entries.Length);
    }

    // Goal: with WithGroups a JoinGroup v6 header parses as a known, flexible (header v2) request and its response
    // uses header v1; with Default the same request is an unknown API.
    [Fact]
    public void HeadersFollowTheGroupEntries()
    {
        byte[] request = new WireBuilder().I16(11).I16(6).I32(42).Str("rdkafka").NoTags().ToArray();
        RequestHeader withGroups = RequestHeader.Read(request, ApiVersionsTable.WithGroups);
        Assert.True(withGroups.IsKnownApi);
        Assert.True(withGroups.IsFlexible);
        Assert.Equal(request.Length, withGroups.Length);
        Assert.True(ResponseHeader.IsFlexible(ApiKey.JoinGroup, 6, ApiVersionsTable.WithGroups));
        Assert.False(ResponseHeader.IsFlexible(ApiKey.JoinGroup, 5, ApiVersionsTable.WithGroups));
        Assert.False(ResponseHeader.IsFlexible(ApiKey.OffsetDelete, 0, ApiVersionsTable.WithGroups));
        Assert.False(RequestHeader.Read(request, ApiVersionsTable.Default).IsKnownApi);
    }
}
