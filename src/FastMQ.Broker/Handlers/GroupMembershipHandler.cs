using FastMQ.Broker.Groups;
using FastMQ.Broker.Requests;
using FastMQ.Protocol.Messages;
using FastMQ.Runtime;

namespace FastMQ.Broker.Handlers;

/// <summary>
/// FindCoordinator (10), JoinGroup (11), Heartbeat (12), LeaveGroup (13), SyncGroup (14). Everything but
/// FindCoordinator runs on the group's shard; JoinGroup and SyncGroup may be parked there until the rebalance step
/// they wait for completes, and are answered on the connection's shard.
/// </summary>
internal static class GroupMembershipHandler
{
    public static void FindCoordinator(BrokerContext broker, RequestContext ctx, FindCoordinatorRequest r)
    {
        var response = new FindCoordinatorResponse();
        if (ctx.ApiVersion >= 4)
        {
            foreach (string key in r.CoordinatorKeys)
            {
                var c = new FindCoordinatorResponse.Coordinator { Key = key };
                Fill(broker, r.KeyType, out ErrorCode error, out string? message, out int node, out string host, out int port);
                (c.ErrorCode, c.ErrorMessage, c.NodeId, c.Host, c.Port) = (error, message, node, host, port);
                response.Coordinators.Add(c);
            }
        }
        else
        {
            Fill(broker, r.KeyType, out ErrorCode error, out string? message, out int node, out string host, out int port);
            (response.ErrorCode, response.ErrorMessage, response.NodeId, response.Host, response.Port) = (error, message, node, host, port);
        }
        ctx.RespondWith(response, GroupReply.FindCoordinator);
    }

    private static void Fill(BrokerContext broker, sbyte keyType, out ErrorCode error, out string? message, out int node, out string host, out int port)
    {
        if (keyType != FindCoordinatorRequest.GroupKeyType)
        {
            (error, message, node, host, port) = (ErrorCode.CoordinatorNotAvailable, "FastMQ does not support transactions", -1, "", -1);
            return;
        }
        if (broker.Groups is null)
        {
            (error, message, node, host, port) = (ErrorCode.CoordinatorNotAvailable, "the group coordinator is starting", -1, "", -1);
            return;
        }
        // Single node: every group's coordinator is this broker (the shard is an internal detail).
        (error, message, node, host, port) = (ErrorCode.None, null, broker.NodeId, broker.Advertised.Host, broker.Advertised.Port);
    }

    public static void Join(BrokerContext broker, Shard shard, RequestContext ctx, JoinGroupRequest r)
    {
        if (r.GroupId.Length == 0)
        {
            ctx.RespondWith(new JoinGroupResponse { ErrorCode = ErrorCode.InvalidGroupId, MemberId = r.MemberId }, GroupReply.Join);
            return;
        }
        string clientId = RequestHeader.Read(ctx.Frame.Span, broker.Versions).GetClientIdString() ?? "";
        string clientHost = HostOf(ctx.Connection.RemoteEndPoint);
        var parked = new ParkedRequest(ctx, ctx.ApiVersion);
        broker.Groups.RunOnGroupShard(shard, r.GroupId, gs => gs.GetOrCreate(r.GroupId).Join(parked, r, clientId, clientHost, gs.NowMs));
    }

    public static void Sync(BrokerContext broker, Shard shard, RequestContext ctx, SyncGroupRequest r)
    {
        var parked = new ParkedRequest(ctx, ctx.ApiVersion);
        broker.Groups.RunOnGroupShard(shard, r.GroupId, gs =>
        {
            if (gs.Find(r.GroupId) is { } g)
            {
                g.Sync(parked, r, gs.NowMs);
            }
            else
            {
                GroupReply.Send(gs.Shard, ctx, new SyncGroupResponse { ErrorCode = ErrorCode.UnknownMemberId }, GroupReply.Sync);
            }
        });
    }

    public static void Heartbeat(BrokerContext broker, Shard shard, RequestContext ctx, HeartbeatRequest r) =>
        broker.Groups.RunOnGroupShard(shard, r.GroupId, gs =>
        {
            ErrorCode error = gs.Find(r.GroupId)?.Heartbeat(r, gs.NowMs) ?? ErrorCode.UnknownMemberId;
            GroupReply.Send(gs.Shard, ctx, new HeartbeatResponse { ErrorCode = error }, GroupReply.Heartbeat);
        });

    public static void Leave(BrokerContext broker, Shard shard, RequestContext ctx, LeaveGroupRequest r)
    {
        short version = ctx.ApiVersion;
        broker.Groups.RunOnGroupShard(shard, r.GroupId, gs =>
        {
            Group? g = gs.Find(r.GroupId);
            var response = new LeaveGroupResponse();
            if (version < 3)
            {
                response.ErrorCode = g?.Leave(r.MemberId, null, gs.NowMs) ?? ErrorCode.UnknownMemberId;
            }
            else
            {
                foreach (LeaveGroupRequest.Member m in r.Members)
                {
                    ErrorCode error = g?.Leave(m.MemberId, m.GroupInstanceId, gs.NowMs) ?? ErrorCode.UnknownMemberId;
                    response.Members.Add(new LeaveGroupResponse.Member { MemberId = m.MemberId, GroupInstanceId = m.GroupInstanceId, ErrorCode = error });
                }
            }
            GroupReply.Send(gs.Shard, ctx, response, GroupReply.Leave);
        });
    }

    private static string HostOf(string endPoint)
    {
        int colon = endPoint.LastIndexOf(':');
        return "/" + (colon > 0 ? endPoint[..colon] : endPoint);
    }
}
