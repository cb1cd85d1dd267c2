using FastMQ.Broker.Requests;

namespace FastMQ.Broker.Groups;

/// <summary>A JoinGroup or SyncGroup held by the coordinator until the rebalance step it waits for completes.</summary>
internal readonly record struct ParkedRequest(RequestContext Context, short Version);
