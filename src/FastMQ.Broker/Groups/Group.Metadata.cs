using System;
using System.Collections.Generic;
using System.Diagnostics;
using FastMQ.Protocol.Messages;
using FastMQ.Storage;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker.Groups;

/// <summary>
/// Durable group metadata, as Kafka keeps it: when a generation completes (the leader's assignment is accepted), when
/// the group becomes empty, and when a restarted static member takes over its slot, the group's membership is appended
/// to its __consumer_offsets partition (key version 2); deletion appends a tombstone. Replay restores the newest record,
/// so members that keep heartbeating with their member id and generation across a broker restart stay in the group.
/// </summary>
/// <remarks>
/// The leader's SyncGroup completes the generation only once its record is acknowledgeable under the flush policy
/// (Kafka waits for the same append): until then the group stays CompletingRebalance and every SyncGroup is parked.
/// </remarks>
internal sealed partial class Group
{
    // The newest group-metadata value appended for this group (null: none yet, or a tombstone). Compaction rewrites it,
    // so it is the appended value, not the durable one (a later snapshot must not resurrect an older record).
    private byte[]? _metadataValue;
    // The generation whose metadata record is being made durable before SyncGroup answers go out; -1 when none.
    private int _storingGeneration = -1;

    /// <summary>The newest group-metadata value appended (what compaction keeps), or null.</summary>
    public byte[]? LatestMetadataValue => _metadataValue;

    /// <summary>Replay: restores the group from its newest metadata record (null = tombstone: no members, generation 0).</summary>
    public void ApplyReplayedMetadata(GroupMetadataRecord? record, byte[]? value)
    {
        _members.Clear();
        _byId.Clear();
        _staticMembers.Clear();
        _pendingMembers.Clear();
        _metadataValue = value;
        if (record is null)
        {
            Phase = GroupPhase.Empty;
            Generation = 0;
            ProtocolType = null;
            ProtocolName = null;
            LeaderId = null;
            return;
        }
        Generation = record.Generation;
        ProtocolType = record.ProtocolType;
        ProtocolName = record.ProtocolName;
        LeaderId = record.LeaderId;
        foreach (GroupMemberRecord r in record.Members)
        {
            var member = new GroupMember(r.MemberId, r.GroupInstanceId, r.ClientId, r.ClientHost)
            {
                SessionTimeoutMs = r.SessionTimeoutMs,
                RebalanceTimeoutMs = r.RebalanceTimeoutMs,
                ProtocolType = ProtocolType ?? "",
                // Like Kafka, only the chosen protocol's subscription is kept: a re-join offering more assignors rebalances.
                Protocols = ProtocolName is null ? [] : [new JoinGroupRequest.Protocol { Name = ProtocolName, Metadata = r.Subscription }],
                Assignment = r.Assignment,
            };
            _members.Add(member);
            _byId[member.MemberId] = member;
            if (member.InstanceId is not null)
            {
                _staticMembers[member.InstanceId] = member.MemberId;
            }
        }
        Phase = _members.Count > 0 && ProtocolName is not null ? GroupPhase.Stable : GroupPhase.Empty;
        if (Phase == GroupPhase.Empty && _members.Count > 0)
        {
            // A record with members but no protocol cannot come from FastMQ; do not invent a generation from it.
            _members.Clear();
            _byId.Clear();
            _staticMembers.Clear();
        }
    }

    /// <summary>After load: every restored member gets a full session timeout from now (Kafka does the same).</summary>
    public void RestartSessions(long nowMs)
    {
        foreach (GroupMember m in _members)
        {
            m.LastSeenMs = nowMs;
        }
    }

    /// <summary>The group's current membership as a metadata record.</summary>
    public GroupMetadataRecord ToMetadataRecord(long wallNowMs)
    {
        var members = new List<GroupMemberRecord>(_members.Count);
        foreach (GroupMember m in _members)
        {
            members.Add(new GroupMemberRecord(m.MemberId, m.InstanceId, m.ClientId, m.ClientHost, m.RebalanceTimeoutMs, m.SessionTimeoutMs,
                m.MetadataFor(ProtocolName), m.Assignment));
        }
        return new GroupMetadataRecord(ProtocolType, Generation, ProtocolName, LeaderId, wallNowMs, members);
    }

    /// <summary>Appends the current membership; <paramref name="done"/> runs on this shard when durable or failed.</summary>
    private void StoreMetadata(Action<AppendStatus>? done) =>
        AppendMetadata(OffsetRecordCodec.EncodeGroupValue(ToMetadataRecord(_shard.WallNowMs)), done);

    /// <summary>Appends a tombstone for the group's metadata (the group is being dropped).</summary>
    public void StoreMetadataTombstone(Action<AppendStatus>? done) => AppendMetadata(null, done);

    private void AppendMetadata(byte[]? value, Action<AppendStatus>? done)
    {
        byte[]? previous = _metadataValue;
        _metadataValue = value;
        OffsetsLog.Append([new(OffsetRecordCodec.EncodeGroupKey(Id), value)], _shard.WallNowMs, status =>
        {
            if (status != AppendStatus.Ok && ReferenceEquals(_metadataValue, value))
            {
                _metadataValue = previous;
            }
            done?.Invoke(status);
        });
    }

    /// <summary>
    /// The leader's SyncGroup was accepted: stores the generation and, once the record is durable, makes the group
    /// Stable and answers every parked SyncGroup. A failed append restarts the rebalance (members re-join).
    /// </summary>
    private void CompleteGeneration()
    {
        int generation = Generation;
        _storingGeneration = generation;
        long startedTicks = Stopwatch.GetTimestamp();
        StoreMetadata(status =>
        {
            if (_storingGeneration == generation)
            {
                _storingGeneration = -1;
            }
            if (Phase != GroupPhase.CompletingRebalance || Generation != generation)
            {
                // Superseded (a member left or re-joined meanwhile): PrepareRebalance already answered the SyncGroups.
                return;
            }
            if (status != AppendStatus.Ok)
            {
                PrepareRebalance(_shard.NowMs, $"the metadata of generation {generation} could not be stored ({status})");
                return;
            }
            Phase = GroupPhase.Stable;
            // The wait for the durable record is what this adds to every rebalance: logged so it can be watched.
            Logger.LogInformation("Group {Group}: generation {Generation} is stable (metadata durable after {StoreMs:F1} ms)",
                Id, Generation, Stopwatch.GetElapsedTime(startedTicks).TotalMilliseconds);
            foreach (GroupMember m in _members)
            {
                if (m.Sync is { } sync)
                {
                    m.Sync = null;
                    ReplySync(sync, m);
                }
            }
        });
    }

    /// <summary>
    /// A restarted static member took over its slot in a stable group: its new member id is stored before the JoinGroup
    /// answer, so a broker restart does not fence it. If the append fails the old id is restored and the join fails
    /// with a retriable error (as Kafka does).
    /// </summary>
    private void StoreStaticReplacement(ParkedRequest req, GroupMember member, string oldId)
    {
        string newId = member.MemberId;
        StoreMetadata(status =>
        {
            if (status == AppendStatus.Ok)
            {
                ReplyJoin(req, member, skipAssignment: true);
                return;
            }
            if (member.MemberId == newId && _byId.TryGetValue(newId, out GroupMember? current) && current == member && !_byId.ContainsKey(oldId))
            {
                _byId.Remove(newId);
                member.MemberId = oldId;
                _byId[oldId] = member;
                _staticMembers[member.InstanceId!] = oldId;
                if (LeaderId == newId)
                {
                    LeaderId = oldId;
                }
            }
            ReplyJoinError(req, ErrorCode.CoordinatorNotAvailable, "");
        });
    }
}
