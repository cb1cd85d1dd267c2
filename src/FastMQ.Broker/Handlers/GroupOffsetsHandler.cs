using System.Collections.Generic;
using System.Threading.Tasks;
using FastMQ.Broker.Groups;
using FastMQ.Broker.Partitions;
using FastMQ.Broker.Requests;
using FastMQ.Protocol.Messages;
using FastMQ.Runtime;
using FastMQ.Storage;

namespace FastMQ.Broker.Handlers;

/// <summary>
/// OffsetCommit (8), OffsetFetch (9) and OffsetDelete (47). Commits and deletions are records appended to the group's
/// __consumer_offsets partition on the group's shard; the answer waits until they are acknowledgeable under the
/// topic's flush policy, so an acknowledged commit survives a crash.
/// </summary>
internal static class GroupOffsetsHandler
{
    public static void Commit(BrokerContext broker, Shard shard, RequestContext ctx, OffsetCommitRequest r)
    {
        if (r.GroupId.Length == 0)
        {
            ctx.RespondWith(CommitResponse(r, ErrorCode.InvalidGroupId), GroupReply.Commit);
            return;
        }
        broker.Groups.RunOnGroupShard(shard, r.GroupId, gs => CommitOnGroupShard(broker, gs, ctx, r));
    }

    private static void CommitOnGroupShard(BrokerContext broker, GroupShard gs, RequestContext ctx, OffsetCommitRequest r)
    {
        bool standalone = r.GenerationIdOrMemberEpoch < 0 && r.MemberId.Length == 0 && r.GroupInstanceId is null;
        Group? group = gs.Find(r.GroupId) ?? (standalone ? gs.GetOrCreate(r.GroupId) : null);
        ErrorCode groupError = group?.CheckCommit(r.MemberId, r.GroupInstanceId, r.GenerationIdOrMemberEpoch, gs.NowMs) ?? ErrorCode.IllegalGeneration;
        OffsetCommitResponse response = CommitResponse(r, groupError);
        if (groupError != ErrorCode.None)
        {
            GroupReply.Send(gs.Shard, ctx, response, GroupReply.Commit);
            return;
        }
        long wallNowMs = gs.WallNowMs;
        var keys = new List<OffsetKey>();
        var values = new List<CommittedOffset?>();
        var slots = new List<OffsetCommitResponse.Partition>();
        PartitionRegistry registry = broker.Partitions;
        for (int t = 0; t < r.Topics.Count; t++)
        {
            OffsetCommitRequest.Topic topic = r.Topics[t];
            bool known = registry.TryGetTopic(topic.Name, out Partition[] partitions);
            for (int p = 0; p < topic.Partitions.Count; p++)
            {
                OffsetCommitRequest.Partition part = topic.Partitions[p];
                OffsetCommitResponse.Partition slot = response.Topics[t].Partitions[p];
                if (!known || (uint)part.PartitionIndex >= (uint)partitions.Length)
                {
                    slot.ErrorCode = ErrorCode.UnknownTopicOrPartition;
                }
                else if (part.CommittedMetadata is { } m && System.Text.Encoding.UTF8.GetByteCount(m) > gs.Settings.OffsetMetadataMaxBytes)
                {
                    slot.ErrorCode = ErrorCode.OffsetMetadataTooLarge;
                }
                else
                {
                    keys.Add(new OffsetKey(topic.Name, part.PartitionIndex));
                    values.Add(new CommittedOffset(part.CommittedOffset, part.CommittedLeaderEpoch, part.CommittedMetadata, wallNowMs));
                    slots.Add(slot);
                }
            }
        }
        group!.WriteOffsets(keys, values, wallNowMs, status =>
        {
            if (status != AppendStatus.Ok)
            {
                // Retriable for every client: it commits again (Kafka answers storage trouble here the same way).
                foreach (OffsetCommitResponse.Partition slot in slots)
                {
                    slot.ErrorCode = ErrorCode.CoordinatorNotAvailable;
                }
            }
            GroupReply.Send(gs.Shard, ctx, response, GroupReply.Commit);
        });
    }

    private static OffsetCommitResponse CommitResponse(OffsetCommitRequest r, ErrorCode error)
    {
        var response = new OffsetCommitResponse();
        foreach (OffsetCommitRequest.Topic t in r.Topics)
        {
            var topic = new OffsetCommitResponse.Topic { Name = t.Name };
            foreach (OffsetCommitRequest.Partition p in t.Partitions)
            {
                topic.Partitions.Add(new OffsetCommitResponse.Partition { PartitionIndex = p.PartitionIndex, ErrorCode = error });
            }
            response.Topics.Add(topic);
        }
        return response;
    }

    public static async Task FetchAsync(BrokerContext broker, RequestContext ctx, OffsetFetchRequest r)
    {
        var response = new OffsetFetchResponse();
        if (ctx.ApiVersion >= 8)
        {
            foreach (OffsetFetchRequest.Group g in r.Groups)
            {
                OffsetFetchResponse.Group result = await broker.Groups.CallOnGroupShard(g.GroupId, gs => FetchGroup(gs, g.GroupId, g.Topics, r.RequireStable)).ConfigureAwait(false);
                response.Groups.Add(result);
            }
        }
        else
        {
            OffsetFetchResponse.Group result = await broker.Groups.CallOnGroupShard(r.GroupId, gs => FetchGroup(gs, r.GroupId, r.Topics, r.RequireStable)).ConfigureAwait(false);
            response.ErrorCode = result.ErrorCode;
            response.Topics.AddRange(result.Topics);
        }
        GroupReply.SendFromAnyThread(broker.Shards, ctx, response, GroupReply.Fetch);
    }

    private static OffsetFetchResponse.Group FetchGroup(GroupShard gs, string groupId, List<OffsetFetchRequest.Topic>? topics, bool requireStable)
    {
        var result = new OffsetFetchResponse.Group { GroupId = groupId };
        Group? group = gs.Find(groupId);
        if (topics is null)
        {
            // All committed partitions of the group.
            if (group is null)
            {
                return result;
            }
            var byTopic = new Dictionary<string, OffsetFetchResponse.Topic>(System.StringComparer.Ordinal);
            foreach (KeyValuePair<OffsetKey, CommittedOffset> e in group.Offsets)
            {
                if (!byTopic.TryGetValue(e.Key.Topic, out OffsetFetchResponse.Topic? t))
                {
                    t = new OffsetFetchResponse.Topic { Name = e.Key.Topic };
                    byTopic[e.Key.Topic] = t;
                    result.Topics.Add(t);
                }
                t.Partitions.Add(FetchPartition(group, e.Key, requireStable));
            }
            return result;
        }
        foreach (OffsetFetchRequest.Topic t in topics)
        {
            var topic = new OffsetFetchResponse.Topic { Name = t.Name };
            foreach (int p in t.PartitionIndexes)
            {
                topic.Partitions.Add(FetchPartition(group, new OffsetKey(t.Name, p), requireStable));
            }
            result.Topics.Add(topic);
        }
        return result;
    }

    private static OffsetFetchResponse.Partition FetchPartition(Group? group, OffsetKey key, bool requireStable)
    {
        var partition = new OffsetFetchResponse.Partition { PartitionIndex = key.Partition, CommittedOffset = -1, Metadata = "" };
        if (group is null)
        {
            return partition;
        }
        if (requireStable && group.IsUnstable(key))
        {
            // The newest commit of this partition is not durable yet: the client retries (retriable error).
            partition.ErrorCode = ErrorCode.UnstableOffsetCommit;
            return partition;
        }
        if (group.TryGetOffset(key, out CommittedOffset c))
        {
            partition.CommittedOffset = c.Offset;
            partition.CommittedLeaderEpoch = c.LeaderEpoch;
            partition.Metadata = c.Metadata ?? "";
        }
        return partition;
    }

    public static void Delete(BrokerContext broker, Shard shard, RequestContext ctx, OffsetDeleteRequest r) =>
        broker.Groups.RunOnGroupShard(shard, r.GroupId, gs =>
        {
            var response = new OffsetDeleteResponse();
            Group? group = gs.Find(r.GroupId);
            if (group is null)
            {
                response.ErrorCode = ErrorCode.GroupIdNotFound;
                GroupReply.Send(gs.Shard, ctx, response, GroupReply.OffsetDelete);
                return;
            }
            var keys = new List<OffsetKey>();
            foreach (OffsetDeleteRequest.Topic t in r.Topics)
            {
                var topic = new OffsetDeleteResponse.Topic { Name = t.Name };
                bool subscribed = group.IsSubscribedTo(t.Name);
                foreach (int p in t.PartitionIndexes)
                {
                    var key = new OffsetKey(t.Name, p);
                    ErrorCode error = subscribed ? ErrorCode.GroupSubscribedToTopic : ErrorCode.None;
                    if (!subscribed && group.TryGetOffset(key, out _))
                    {
                        keys.Add(key);
                    }
                    topic.Partitions.Add(new OffsetDeleteResponse.Partition { PartitionIndex = p, ErrorCode = error });
                }
                response.Topics.Add(topic);
            }
            group.WriteOffsets(keys, [.. new CommittedOffset?[keys.Count]], gs.WallNowMs, status =>
            {
                if (status != AppendStatus.Ok)
                {
                    response.ErrorCode = ErrorCode.CoordinatorNotAvailable;
                }
                GroupReply.Send(gs.Shard, ctx, response, GroupReply.OffsetDelete);
            });
        });
}
