namespace FastMQ.Broker.Groups;

/// <summary>
/// One member as stored in a group-metadata record: identity, timeouts, its subscription for the group's chosen
/// protocol and the assignment the leader gave it (both opaque client bytes).
/// </summary>
internal sealed record GroupMemberRecord(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int RebalanceTimeoutMs,
    int SessionTimeoutMs,
    byte[] Subscription,
    byte[] Assignment);
