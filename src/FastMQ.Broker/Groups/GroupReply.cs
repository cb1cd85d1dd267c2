using FastMQ.Broker.Requests;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using FastMQ.Runtime;

namespace FastMQ.Broker.Groups;

/// <summary>
/// Answers a group request from whichever shard decided the answer (usually the group's shard): the response is
/// written on the connection's shard, because <see cref="RequestContext.Respond"/> may only run there.
/// </summary>
internal static class GroupReply
{
    public static readonly BodyWriter<JoinGroupResponse> Join = static (ref KafkaWriter w, JoinGroupResponse r, short v) => r.Write(ref w, v);
    public static readonly BodyWriter<SyncGroupResponse> Sync = static (ref KafkaWriter w, SyncGroupResponse r, short v) => r.Write(ref w, v);
    public static readonly BodyWriter<HeartbeatResponse> Heartbeat = static (ref KafkaWriter w, HeartbeatResponse r, short v) => r.Write(ref w, v);
    public static readonly BodyWriter<LeaveGroupResponse> Leave = static (ref KafkaWriter w, LeaveGroupResponse r, short v) => r.Write(ref w, v);
    public static readonly BodyWriter<OffsetCommitResponse> Commit = static (ref KafkaWriter w, OffsetCommitResponse r, short v) => r.Write(ref w, v);
    public static readonly BodyWriter<OffsetFetchResponse> Fetch = static (ref KafkaWriter w, OffsetFetchResponse r, short v) => r.Write(ref w, v);
    public static readonly BodyWriter<FindCoordinatorResponse> FindCoordinator = static (ref KafkaWriter w, FindCoordinatorResponse r, short v) => r.Write(ref w, v);
    public static readonly BodyWriter<ListGroupsResponse> List = static (ref KafkaWriter w, ListGroupsResponse r, short v) => r.Write(ref w, v);
    public static readonly BodyWriter<DescribeGroupsResponse> Describe = static (ref KafkaWriter w, DescribeGroupsResponse r, short v) => r.Write(ref w, v);
    public static readonly BodyWriter<DeleteGroupsResponse> Delete = static (ref KafkaWriter w, DeleteGroupsResponse r, short v) => r.Write(ref w, v);
    public static readonly BodyWriter<OffsetDeleteResponse> OffsetDelete = static (ref KafkaWriter w, OffsetDeleteResponse r, short v) => r.Write(ref w, v);

    /// <summary>Writes <paramref name="response"/> for <paramref name="ctx"/> on its connection's shard.</summary>
    public static void Send<T>(Shard current, RequestContext ctx, T response, BodyWriter<T> write) =>
        ShardAction.Run(current, ctx.Shard, _ => ctx.RespondWith(response, write));

    /// <summary>From a thread-pool continuation (multi-shard admin requests).</summary>
    public static void SendFromAnyThread<T>(ShardSet shards, RequestContext ctx, T response, BodyWriter<T> write) =>
        ShardAction.Send(shards, ctx.Shard, _ => ctx.RespondWith(response, write));
}
