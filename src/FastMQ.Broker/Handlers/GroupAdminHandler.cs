using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using FastMQ.Broker.Groups;
using FastMQ.Broker.Requests;
using FastMQ.Protocol.Messages;
using FastMQ.Storage;

namespace FastMQ.Broker.Handlers;

/// <summary>
/// ListGroups (16), DescribeGroups (15) and DeleteGroups (42): admin requests that may span every shard. They gather
/// from the group shards on the thread pool (ShardCall) and answer on the connection's shard.
/// </summary>
internal static class GroupAdminHandler
{
    public static async Task ListAsync(BrokerContext broker, RequestContext ctx, ListGroupsRequest r)
    {
        List<ListGroupsResponse.ListedGroup>[] perShard = await broker.Groups.CallOnEveryShard(gs =>
        {
            var listed = new List<ListGroupsResponse.ListedGroup>();
            foreach (Group g in gs.Groups)
            {
                string state = Group.PhaseName(g.Phase);
                if (r.StatesFilter.Count > 0 && !Contains(r.StatesFilter, state))
                {
                    continue;
                }
                if (r.TypesFilter.Count > 0 && !Contains(r.TypesFilter, "classic"))
                {
                    continue;
                }
                listed.Add(new ListGroupsResponse.ListedGroup
                {
                    GroupId = g.Id,
                    ProtocolType = g.ProtocolType ?? "",
                    GroupState = state,
                    GroupType = "classic",
                });
            }
            return listed;
        }).ConfigureAwait(false);
        var response = new ListGroupsResponse();
        foreach (List<ListGroupsResponse.ListedGroup> l in perShard)
        {
            response.Groups.AddRange(l);
        }
        GroupReply.SendFromAnyThread(broker.Shards, ctx, response, GroupReply.List);
    }

    private static bool Contains(List<string> filter, string value)
    {
        foreach (string f in filter)
        {
            if (string.Equals(f, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    public static async Task DescribeAsync(BrokerContext broker, RequestContext ctx, DescribeGroupsRequest r)
    {
        var response = new DescribeGroupsResponse();
        foreach (string id in r.Groups)
        {
            DescribeGroupsResponse.DescribedGroup described = await broker.Groups.CallOnGroupShard(id, gs => Describe(gs.Find(id), id)).ConfigureAwait(false);
            if (r.IncludeAuthorizedOperations)
            {
                // No ACLs: every group operation is allowed (READ, DELETE and DESCRIBE bits of Kafka's AclOperation).
                described.AuthorizedOperations = (1 << 3) | (1 << 6) | (1 << 8);
            }
            response.Groups.Add(described);
        }
        GroupReply.SendFromAnyThread(broker.Shards, ctx, response, GroupReply.Describe);
    }

    private static DescribeGroupsResponse.DescribedGroup Describe(Group? g, string id)
    {
        var d = new DescribeGroupsResponse.DescribedGroup { GroupId = id };
        if (g is null)
        {
            // Kafka (DescribeGroups ≤ v5) describes an unknown group as Dead without an error.
            d.GroupState = Group.PhaseName(GroupPhase.Dead);
            return d;
        }
        d.GroupState = Group.PhaseName(g.Phase);
        d.ProtocolType = g.ProtocolType ?? "";
        d.ProtocolData = g.ProtocolName ?? "";
        bool stable = g.Phase == GroupPhase.Stable;
        foreach (GroupMember m in g.Members)
        {
            d.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
            {
                MemberId = m.MemberId,
                GroupInstanceId = m.InstanceId,
                ClientId = m.ClientId,
                ClientHost = m.ClientHost,
                // Kafka shows metadata and assignment only once the generation is stable.
                MemberMetadata = stable ? m.MetadataFor(g.ProtocolName) : [],
                MemberAssignment = stable ? m.Assignment : [],
            });
        }
        return d;
    }

    public static async Task DeleteAsync(BrokerContext broker, RequestContext ctx, DeleteGroupsRequest r)
    {
        var response = new DeleteGroupsResponse();
        foreach (string id in r.GroupsNames)
        {
            Task<ErrorCode> deleted = await broker.Groups.CallOnGroupShard(id, gs => DeleteOnGroupShard(gs, id)).ConfigureAwait(false);
            response.Results.Add(new DeleteGroupsResponse.Result { GroupId = id, ErrorCode = await deleted.ConfigureAwait(false) });
        }
        GroupReply.SendFromAnyThread(broker.Shards, ctx, response, GroupReply.Delete);
    }

    /// <summary>
    /// On the group's shard: tombstones every committed offset and the group's metadata in one batch, then forgets the
    /// group once they are durable (a restart finds it gone).
    /// </summary>
    private static Task<ErrorCode> DeleteOnGroupShard(GroupShard gs, string id)
    {
        Group? g = gs.Find(id);
        if (g is null || g.Phase == GroupPhase.Dead)
        {
            return Task.FromResult(ErrorCode.GroupIdNotFound);
        }
        if (g.HasMembers)
        {
            return Task.FromResult(ErrorCode.NonEmptyGroup);
        }
        var done = new TaskCompletionSource<ErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        var keys = new List<OffsetKey>(g.Offsets.Keys);
        g.WriteOffsets(keys, [.. new CommittedOffset?[keys.Count]], gs.WallNowMs, status =>
        {
            if (status != AppendStatus.Ok)
            {
                done.TrySetResult(ErrorCode.CoordinatorNotAvailable);
                return;
            }
            if (gs.Find(id) == g && !g.HasMembers && g.Offsets.Count == 0)
            {
                gs.Remove(g);
            }
            done.TrySetResult(ErrorCode.None);
        }, tombstoneGroup: true);
        return done.Task;
    }
}
