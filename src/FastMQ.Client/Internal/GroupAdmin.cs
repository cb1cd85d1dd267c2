using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Records;

namespace FastMQ.Client.Internal;

/// <summary>
/// Consumer-group administration over the Kafka group APIs: find a group's coordinator, list, describe and delete
/// groups, read and write committed offsets, and read the timestamp of one record (for lag in time).
/// </summary>
/// <remarks>
/// Group requests go to the group's coordinator (FindCoordinator), as Kafka requires; ListGroups goes to every broker.
/// Errors for the group itself throw <see cref="BrokerErrorException"/>; per-partition offset errors are returned.
/// Threading: like <see cref="ClusterClient"/>, one owner drives it. Admin path: allocation is fine here.
/// </remarks>
internal static class GroupAdmin
{
    /// <summary>Committed offset value meaning "no offset committed".</summary>
    public const long NoOffset = -1;

    /// <summary>The connection to the coordinator of <paramref name="groupId"/>.</summary>
    public static async Task<BrokerConnection> GetCoordinatorAsync(ClusterClient cluster, string groupId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        BrokerConnection any = await cluster.GetAnyAsync(cancellationToken).ConfigureAwait(false);
        var request = new FindCoordinatorRequest { Key = groupId, KeyType = FindCoordinatorRequest.GroupKeyType };
        request.CoordinatorKeys.Add(groupId);
        FindCoordinatorResponse response = await any.SendAsync(ApiKey.FindCoordinator, request.Write,
            FindCoordinatorResponse.Read, cancellationToken).ConfigureAwait(false);
        ErrorCode error = response.ErrorCode;
        int nodeId = response.NodeId;
        string? message = response.ErrorMessage;
        if (response.Coordinators.Count > 0)
        {
            FindCoordinatorResponse.Coordinator c = response.Coordinators[0];
            (error, nodeId, message) = (c.ErrorCode, c.NodeId, c.ErrorMessage);
        }
        if (error != ErrorCode.None)
        {
            throw new BrokerErrorException(error, $"cannot find the coordinator of group '{groupId}'", message);
        }
        return await cluster.GetNodeAsync(nodeId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every group on every broker of the cluster, sorted by group id.</summary>
    public static async Task<List<ListGroupsResponse.ListedGroup>> ListGroupsAsync(ClusterClient cluster,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        MetadataResponse metadata = await cluster.GetMetadataAsync([], cancellationToken).ConfigureAwait(false);
        var groups = new List<ListGroupsResponse.ListedGroup>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (MetadataResponse.Broker broker in metadata.Brokers)
        {
            BrokerConnection connection = await cluster.GetNodeAsync(broker.NodeId, cancellationToken).ConfigureAwait(false);
            ListGroupsResponse response = await connection.SendAsync(ApiKey.ListGroups, new ListGroupsRequest().Write,
                ListGroupsResponse.Read, cancellationToken).ConfigureAwait(false);
            if (response.ErrorCode != ErrorCode.None)
            {
                throw new BrokerErrorException(response.ErrorCode, $"cannot list the groups of broker {broker.NodeId}");
            }
            foreach (ListGroupsResponse.ListedGroup g in response.Groups)
            {
                if (seen.Add(g.GroupId))
                {
                    groups.Add(g);
                }
            }
        }
        groups.Sort(static (a, b) => string.CompareOrdinal(a.GroupId, b.GroupId));
        return groups;
    }

    /// <summary>DescribeGroups for one group on its coordinator; a group error throws.</summary>
    public static async Task<DescribeGroupsResponse.DescribedGroup> DescribeGroupAsync(BrokerConnection coordinator,
        string groupId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        var request = new DescribeGroupsRequest();
        request.Groups.Add(groupId);
        DescribeGroupsResponse response = await coordinator.SendAsync(ApiKey.DescribeGroups, request.Write,
            DescribeGroupsResponse.Read, cancellationToken).ConfigureAwait(false);
        foreach (DescribeGroupsResponse.DescribedGroup g in response.Groups)
        {
            if (g.GroupId == groupId)
            {
                if (g.ErrorCode != ErrorCode.None)
                {
                    throw new BrokerErrorException(g.ErrorCode, $"cannot describe group '{groupId}'");
                }
                return g;
            }
        }
        throw new BrokerProtocolException($"the DescribeGroups response has no result for group '{groupId}'");
    }

    /// <summary>DeleteGroups for one group on its coordinator; an error (e.g. NON_EMPTY_GROUP) throws.</summary>
    public static async Task DeleteGroupAsync(BrokerConnection coordinator, string groupId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        var request = new DeleteGroupsRequest();
        request.GroupsNames.Add(groupId);
        DeleteGroupsResponse response = await coordinator.SendAsync(ApiKey.DeleteGroups, request.Write,
            DeleteGroupsResponse.Read, cancellationToken).ConfigureAwait(false);
        foreach (DeleteGroupsResponse.Result r in response.Results)
        {
            if (r.GroupId == groupId)
            {
                if (r.ErrorCode != ErrorCode.None)
                {
                    throw new BrokerErrorException(r.ErrorCode, $"cannot delete group '{groupId}'");
                }
                return;
            }
        }
        throw new BrokerProtocolException($"the DeleteGroups response has no result for group '{groupId}'");
    }

    /// <summary>
    /// Committed offsets of <paramref name="groupId"/>: topic → partition → offset (<see cref="NoOffset"/> when none).
    /// <paramref name="topic"/> null asks for every topic the group has offsets for. A group or partition error throws.
    /// </summary>
    public static async Task<SortedDictionary<string, SortedDictionary<int, long>>> FetchCommittedAsync(
        BrokerConnection coordinator, string groupId, string? topic, IReadOnlyList<int>? partitions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        List<OffsetFetchRequest.Topic>? topics = null;
        if (topic is not null)
        {
            topics = [new OffsetFetchRequest.Topic { Name = topic, PartitionIndexes = [.. partitions ?? []] }];
        }
        // Both shapes are filled: versions up to 7 send GroupId/Topics, later ones the Groups array.
        var request = new OffsetFetchRequest { GroupId = groupId, Topics = topics };
        request.Groups.Add(new OffsetFetchRequest.Group { GroupId = groupId, Topics = topics });
        OffsetFetchResponse response = await coordinator.SendAsync(ApiKey.OffsetFetch, request.Write,
            OffsetFetchResponse.Read, cancellationToken).ConfigureAwait(false);
        ErrorCode groupError = response.ErrorCode;
        List<OffsetFetchResponse.Topic> resultTopics = response.Topics;
        foreach (OffsetFetchResponse.Group g in response.Groups)
        {
            if (g.GroupId == groupId)
            {
                groupError = g.ErrorCode;
                resultTopics = g.Topics;
            }
        }
        if (groupError != ErrorCode.None)
        {
            throw new BrokerErrorException(groupError, $"cannot fetch the committed offsets of group '{groupId}'");
        }
        var result = new SortedDictionary<string, SortedDictionary<int, long>>(StringComparer.Ordinal);
        foreach (OffsetFetchResponse.Topic t in resultTopics)
        {
            var byPartition = new SortedDictionary<int, long>();
            foreach (OffsetFetchResponse.Partition p in t.Partitions)
            {
                if (p.ErrorCode != ErrorCode.None)
                {
                    throw new BrokerErrorException(p.ErrorCode,
                        $"cannot fetch the committed offset of group '{groupId}' for partition {p.PartitionIndex} of '{t.Name}'");
                }
                byPartition[p.PartitionIndex] = p.CommittedOffset;
            }
            result[t.Name] = byPartition;
        }
        return result;
    }

    /// <summary>
    /// Commits <paramref name="offsets"/> (partition → offset) for <paramref name="topic"/> as a standalone commit
    /// (generation -1, no member): the coordinator accepts it only while the group has no members. Any error throws.
    /// </summary>
    public static async Task CommitStandaloneAsync(BrokerConnection coordinator, string groupId, string topic,
        IReadOnlyDictionary<int, long> offsets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(offsets);
        var requestTopic = new OffsetCommitRequest.Topic { Name = topic };
        foreach (KeyValuePair<int, long> o in offsets)
        {
            requestTopic.Partitions.Add(new OffsetCommitRequest.Partition { PartitionIndex = o.Key, CommittedOffset = o.Value });
        }
        var request = new OffsetCommitRequest { GroupId = groupId, GenerationIdOrMemberEpoch = -1, MemberId = "" };
        request.Topics.Add(requestTopic);
        OffsetCommitResponse response = await coordinator.SendAsync(ApiKey.OffsetCommit, request.Write,
            OffsetCommitResponse.Read, cancellationToken).ConfigureAwait(false);
        int answered = 0;
        foreach (OffsetCommitResponse.Topic t in response.Topics)
        {
            foreach (OffsetCommitResponse.Partition p in t.Partitions)
            {
                if (p.ErrorCode != ErrorCode.None)
                {
                    throw new BrokerErrorException(p.ErrorCode,
                        $"cannot commit the offset of group '{groupId}' for partition {p.PartitionIndex} of '{t.Name}'");
                }
                answered++;
            }
        }
        if (answered != offsets.Count)
        {
            throw new BrokerProtocolException(
                $"the OffsetCommit response answers {answered} partition(s), {offsets.Count} were committed");
        }
    }

    /// <summary>
    /// The timestamp (ms) of the first record at or after <paramref name="offset"/> in one partition, read with one
    /// Fetch from its leader; null when the leader returns no complete record there (e.g. the offset is the log end).
    /// </summary>
    public static async Task<long?> ReadTimestampAtAsync(ClusterClient cluster, MetadataResponse.Topic topic, int partition,
        long offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(topic);
        string name = topic.Name ?? throw new ArgumentException("the topic has no name", nameof(topic));
        BrokerConnection leader = await cluster.GetNodeAsync(ClusterClient.LeaderOf(topic, partition), cancellationToken)
            .ConfigureAwait(false);
        var requestTopic = new FetchRequest.Topic { Name = name };
        // 1 MiB holds at least the first batch in practice; brokers return the first batch whole even when larger (KIP-74).
        requestTopic.Partitions.Add(new FetchRequest.Partition
        {
            PartitionIndex = partition,
            FetchOffset = offset,
            PartitionMaxBytes = 1024 * 1024,
        });
        var request = new FetchRequest { MaxWaitMs = 0, MinBytes = 0, MaxBytes = 1024 * 1024 };
        request.Topics.Add(requestTopic);
        FetchResponse response = await leader.SendAsync(ApiKey.Fetch, request.Write, FetchResponse.Read,
            cancellationToken).ConfigureAwait(false);
        if (response.ErrorCode != ErrorCode.None)
        {
            throw new BrokerErrorException(response.ErrorCode, $"Fetch of partition {partition} of '{name}'");
        }
        foreach (FetchResponse.Topic t in response.Topics)
        {
            foreach (FetchResponse.Partition p in t.Partitions)
            {
                if (t.Name != name || p.PartitionIndex != partition)
                {
                    continue;
                }
                if (p.ErrorCode != ErrorCode.None)
                {
                    throw new BrokerErrorException(p.ErrorCode,
                        $"cannot fetch partition {partition} of topic '{name}' at offset {offset}");
                }
                return FirstTimestamp(p.Records, offset);
            }
        }
        return null;
    }

    private static long? FirstTimestamp(byte[]? records, long offset)
    {
        if (records is null || records.Length == 0)
        {
            return null;
        }
        using var decompressor = new RecordDecompressor();
        var reader = new FetchedRecordsReader(records, offset, decompressor);
        return reader.TryReadNext(out Record _, out long _, out long timestampMs) ? timestampMs : null;
    }
}
