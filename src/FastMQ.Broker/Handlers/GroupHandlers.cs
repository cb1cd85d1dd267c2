using FastMQ.Broker.Requests;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using FastMQ.Runtime;

namespace FastMQ.Broker.Handlers;

/// <summary>
/// Routes the consumer-group APIs (kafka-protocol.md §5) to their handlers. Group requests are coordination traffic,
/// not the data path: they are decoded into message objects and may allocate.
/// </summary>
internal static class GroupHandlers
{
    public static bool IsGroupApi(ApiKey key) => key is ApiKey.FindCoordinator or ApiKey.JoinGroup or ApiKey.SyncGroup
        or ApiKey.Heartbeat or ApiKey.LeaveGroup or ApiKey.OffsetCommit or ApiKey.OffsetFetch or ApiKey.ListGroups
        or ApiKey.DescribeGroups or ApiKey.DeleteGroups or ApiKey.OffsetDelete;

    public static void Handle(BrokerContext broker, Shard shard, RequestContext ctx)
    {
        var reader = new KafkaReader(ctx.Body);
        short v = ctx.ApiVersion;
        switch (ctx.ApiKey)
        {
            case ApiKey.FindCoordinator:
                GroupMembershipHandler.FindCoordinator(broker, ctx, FindCoordinatorRequest.Read(ref reader, v));
                break;
            case ApiKey.JoinGroup:
                GroupMembershipHandler.Join(broker, shard, ctx, JoinGroupRequest.Read(ref reader, v));
                break;
            case ApiKey.SyncGroup:
                GroupMembershipHandler.Sync(broker, shard, ctx, SyncGroupRequest.Read(ref reader, v));
                break;
            case ApiKey.Heartbeat:
                GroupMembershipHandler.Heartbeat(broker, shard, ctx, HeartbeatRequest.Read(ref reader, v));
                break;
            case ApiKey.LeaveGroup:
                GroupMembershipHandler.Leave(broker, shard, ctx, LeaveGroupRequest.Read(ref reader, v));
                break;
            case ApiKey.OffsetCommit:
                GroupOffsetsHandler.Commit(broker, shard, ctx, OffsetCommitRequest.Read(ref reader, v));
                break;
            case ApiKey.OffsetFetch:
                AsyncRequests.Start(broker, ctx, OffsetFetchRequest.Read(ref reader, v), GroupOffsetsHandler.FetchAsync);
                break;
            case ApiKey.OffsetDelete:
                GroupOffsetsHandler.Delete(broker, shard, ctx, OffsetDeleteRequest.Read(ref reader, v));
                break;
            case ApiKey.ListGroups:
                AsyncRequests.Start(broker, ctx, ListGroupsRequest.Read(ref reader, v), GroupAdminHandler.ListAsync);
                break;
            case ApiKey.DescribeGroups:
                AsyncRequests.Start(broker, ctx, DescribeGroupsRequest.Read(ref reader, v), GroupAdminHandler.DescribeAsync);
                break;
            case ApiKey.DeleteGroups:
                AsyncRequests.Start(broker, ctx, DeleteGroupsRequest.Read(ref reader, v), GroupAdminHandler.DeleteAsync);
                break;
            default:
                ctx.Fail($"no group handler for {ctx.ApiKey}");
                break;
        }
    }
}
