using System.Collections.Generic;

namespace FastMQ.Broker.Groups;

/// <summary>
/// A group's membership as written to __consumer_offsets when a generation completes (the leader's assignment is
/// accepted) or the group becomes empty; replay restores the group from the newest one (see OffsetRecordCodec).
/// </summary>
/// <param name="ProtocolType">The members' protocol type (<c>consumer</c>), or null if never set.</param>
/// <param name="Generation">The generation the record completes (an empty group's is the one that found no members).</param>
/// <param name="ProtocolName">The chosen assignor; null for an empty group.</param>
/// <param name="LeaderId">The leader's member id; null for an empty group.</param>
/// <param name="StateTimestampMs">Wall clock (Unix ms) when the group entered the recorded state.</param>
/// <param name="Members">Every member with its subscription and assignment; empty for an empty group.</param>
internal sealed record GroupMetadataRecord(
    string? ProtocolType,
    int Generation,
    string? ProtocolName,
    string? LeaderId,
    long StateTimestampMs,
    IReadOnlyList<GroupMemberRecord> Members);
