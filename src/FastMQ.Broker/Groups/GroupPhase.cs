namespace FastMQ.Broker.Groups;

/// <summary>
/// The classic group state machine (kafka-protocol.md §5.1): Empty → PreparingRebalance → CompletingRebalance →
/// Stable, back to PreparingRebalance on any membership change, Dead once deleted.
/// </summary>
internal enum GroupPhase
{
    /// <summary>No members; the group may still hold committed offsets.</summary>
    Empty,
    /// <summary>Waiting for every member to (re-)join; JoinGroup responses are held back.</summary>
    PreparingRebalance,
    /// <summary>Generation chosen; waiting for the leader's SyncGroup with the assignment.</summary>
    CompletingRebalance,
    /// <summary>Every member has its assignment; heartbeats keep sessions alive.</summary>
    Stable,
    /// <summary>Deleted (DeleteGroups or expired offsets); no longer in the coordinator's map.</summary>
    Dead,
}
