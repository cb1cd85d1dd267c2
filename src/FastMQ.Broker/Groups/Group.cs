using System;
using System.Collections.Generic;
using FastMQ.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker.Groups;

/// <summary>
/// One consumer group's coordinator state: members, generation, chosen protocol and leader, and its committed offsets.
/// Implements the classic protocol's state machine (kafka-protocol.md §5): JoinGroup and SyncGroup answers are held
/// (parked) until the rebalance step they wait for completes; the assignment stays client-side (the leader's bytes are
/// relayed untouched).
/// </summary>
/// <remarks>
/// Lives on one shard (<see cref="GroupShard"/>, the owner of the group's __consumer_offsets partition) and is only
/// touched there. Time is the shard's monotonic clock in milliseconds; the shard's periodic tick drives session
/// expiry, rebalance timeouts and the initial rebalance delay through <see cref="OnTick"/>.
/// </remarks>
internal sealed partial class Group
{
    private readonly GroupShard _shard;
    private readonly List<GroupMember> _members = [];
    private readonly Dictionary<string, GroupMember> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _staticMembers = new(StringComparer.Ordinal);
    // Member ids handed out with MEMBER_ID_REQUIRED whose second JoinGroup has not arrived yet → expiry time.
    private readonly Dictionary<string, long> _pendingMembers = new(StringComparer.Ordinal);
    private long _rebalanceDeadlineMs;
    private long _initialDelayUntilMs;
    private long _initialDelayCapMs;

    public Group(string id, GroupShard shard, OffsetsLog offsetsLog)
    {
        Id = id;
        _shard = shard;
        OffsetsLog = offsetsLog;
    }

    public string Id { get; }

    public GroupPhase Phase { get; private set; } = GroupPhase.Empty;

    public int Generation { get; private set; }

    public string? ProtocolType { get; private set; }

    public string? ProtocolName { get; private set; }

    public string? LeaderId { get; private set; }

    /// <summary>The __consumer_offsets partition holding this group's records.</summary>
    public OffsetsLog OffsetsLog { get; }

    public IReadOnlyList<GroupMember> Members => _members;

    public bool HasMembers => _members.Count > 0 || _pendingMembers.Count > 0;

    public static string PhaseName(GroupPhase phase) => phase.ToString();

    private ILogger Logger => _shard.Logger;

    private GroupSettings Settings => _shard.Settings;

    // ---- JoinGroup -------------------------------------------------------------------------------------------------

    public void Join(ParkedRequest req, JoinGroupRequest r, string clientId, string clientHost, long nowMs)
    {
        if (r.SessionTimeoutMs < Settings.MinSessionTimeoutMs || r.SessionTimeoutMs > Settings.MaxSessionTimeoutMs)
        {
            ReplyJoinError(req, ErrorCode.InvalidSessionTimeout, r.MemberId);
            return;
        }
        if (!SupportsProtocols(r.ProtocolType, r.Protocols, r.MemberId))
        {
            ReplyJoinError(req, ErrorCode.InconsistentGroupProtocol, r.MemberId);
            return;
        }
        int rebalanceTimeoutMs = r.RebalanceTimeoutMs < 0 ? r.SessionTimeoutMs : r.RebalanceTimeoutMs;
        if (r.MemberId.Length == 0)
        {
            JoinUnknownMember(req, r, clientId, clientHost, rebalanceTimeoutMs, nowMs);
        }
        else
        {
            JoinKnownMember(req, r, clientId, clientHost, rebalanceTimeoutMs, nowMs);
        }
    }

    private void JoinUnknownMember(ParkedRequest req, JoinGroupRequest r, string clientId, string clientHost, int rebalanceTimeoutMs, long nowMs)
    {
        string newId = (r.GroupInstanceId ?? clientId) + "-" + Guid.NewGuid().ToString("D");
        if (r.GroupInstanceId is not null)
        {
            if (_staticMembers.TryGetValue(r.GroupInstanceId, out string? oldId) && _byId.TryGetValue(oldId, out GroupMember? old))
            {
                ReplaceStaticMember(req, old, newId, r, clientId, clientHost, rebalanceTimeoutMs, nowMs);
                return;
            }
        }
        else if (req.Version >= 4)
        {
            // KIP-394: hand out the id first so a client that dies before joining leaves no member behind.
            _pendingMembers[newId] = nowMs + r.SessionTimeoutMs;
            ReplyJoinError(req, ErrorCode.MemberIdRequired, newId);
            return;
        }
        AddMemberAndRebalance(req, newId, r, clientId, clientHost, rebalanceTimeoutMs, nowMs);
    }

    private void JoinKnownMember(ParkedRequest req, JoinGroupRequest r, string clientId, string clientHost, int rebalanceTimeoutMs, long nowMs)
    {
        if (_pendingMembers.Remove(r.MemberId))
        {
            AddMemberAndRebalance(req, r.MemberId, r, clientId, clientHost, rebalanceTimeoutMs, nowMs);
            return;
        }
        ErrorCode fence = CheckStatic(r.MemberId, r.GroupInstanceId);
        if (fence != ErrorCode.None)
        {
            ReplyJoinError(req, fence, r.MemberId);
            return;
        }
        if (!_byId.TryGetValue(r.MemberId, out GroupMember? member))
        {
            ReplyJoinError(req, ErrorCode.UnknownMemberId, r.MemberId);
            return;
        }
        member.LastSeenMs = nowMs;
        member.ClientId = clientId;
        member.ClientHost = clientHost;
        switch (Phase)
        {
            case GroupPhase.PreparingRebalance:
                UpdateMember(member, r, rebalanceTimeoutMs);
                ParkJoin(member, req);
                TryCompleteJoin(nowMs);
                break;
            case GroupPhase.CompletingRebalance:
                if (member.SameProtocols(r.Protocols))
                {
                    // A lost JoinGroup answer: send it again for the current generation.
                    ReplyJoin(req, member);
                }
                else
                {
                    UpdateMember(member, r, rebalanceTimeoutMs);
                    ParkJoin(member, req);
                    PrepareRebalance(nowMs, $"member {member.MemberId} re-joined with new metadata");
                }
                break;
            case GroupPhase.Stable:
                if (member.MemberId == LeaderId || !member.SameProtocols(r.Protocols))
                {
                    UpdateMember(member, r, rebalanceTimeoutMs);
                    ParkJoin(member, req);
                    PrepareRebalance(nowMs, $"member {member.MemberId} re-joined (leader or new metadata)");
                }
                else
                {
                    ReplyJoin(req, member);
                }
                break;
            default:
                ReplyJoinError(req, ErrorCode.UnknownMemberId, r.MemberId);
                break;
        }
    }

    /// <summary>KIP-345: a restarted static member takes over its old slot; with unchanged metadata no rebalance runs.</summary>
    private void ReplaceStaticMember(ParkedRequest req, GroupMember old, string newId, JoinGroupRequest r, string clientId, string clientHost,
        int rebalanceTimeoutMs, long nowMs)
    {
        string oldId = old.MemberId;
        FailParked(old, ErrorCode.FencedInstanceId);
        _byId.Remove(oldId);
        old.MemberId = newId;
        old.ClientId = clientId;
        old.ClientHost = clientHost;
        old.LastSeenMs = nowMs;
        _byId[newId] = old;
        _staticMembers[old.InstanceId!] = newId;
        if (LeaderId == oldId)
        {
            LeaderId = newId;
        }
        Logger.LogInformation("Group {Group}: static member {Instance} restarted as {Member} (was {Old})", Id, old.InstanceId, newId, oldId);
        bool sameProtocols = old.SameProtocols(r.Protocols);
        old.SessionTimeoutMs = r.SessionTimeoutMs;
        old.RebalanceTimeoutMs = rebalanceTimeoutMs;
        switch (Phase)
        {
            case GroupPhase.Stable when sameProtocols:
                StoreStaticReplacement(req, old, oldId);
                break;
            case GroupPhase.CompletingRebalance when sameProtocols:
                ReplyJoin(req, old);
                break;
            case GroupPhase.PreparingRebalance:
                UpdateMember(old, r, rebalanceTimeoutMs);
                ParkJoin(old, req);
                TryCompleteJoin(nowMs);
                break;
            default:
                UpdateMember(old, r, rebalanceTimeoutMs);
                ParkJoin(old, req);
                PrepareRebalance(nowMs, $"static member {old.InstanceId} re-joined with new metadata");
                break;
        }
    }

    private void AddMemberAndRebalance(ParkedRequest req, string memberId, JoinGroupRequest r, string clientId, string clientHost,
        int rebalanceTimeoutMs, long nowMs)
    {
        var member = new GroupMember(memberId, r.GroupInstanceId, clientId, clientHost) { LastSeenMs = nowMs };
        UpdateMember(member, r, rebalanceTimeoutMs);
        _members.Add(member);
        _byId[memberId] = member;
        if (member.InstanceId is not null)
        {
            _staticMembers[member.InstanceId] = memberId;
        }
        if (_members.Count == 1)
        {
            ProtocolType = r.ProtocolType;
        }
        ParkJoin(member, req);
        if (Phase == GroupPhase.PreparingRebalance)
        {
            if (nowMs < _initialDelayUntilMs)
            {
                // Kafka's initial delayed join: every newcomer extends the wait, capped by the rebalance timeout.
                _initialDelayUntilMs = Math.Min(nowMs + Settings.InitialRebalanceDelayMs, _initialDelayCapMs);
            }
            _rebalanceDeadlineMs = Math.Max(_rebalanceDeadlineMs, nowMs + rebalanceTimeoutMs);
            TryCompleteJoin(nowMs);
        }
        else
        {
            PrepareRebalance(nowMs, $"member {memberId} joined");
        }
    }

    private static void UpdateMember(GroupMember member, JoinGroupRequest r, int rebalanceTimeoutMs)
    {
        member.SessionTimeoutMs = r.SessionTimeoutMs;
        member.RebalanceTimeoutMs = rebalanceTimeoutMs;
        member.ProtocolType = r.ProtocolType;
        member.Protocols = r.Protocols;
    }

    private void ParkJoin(GroupMember member, ParkedRequest req)
    {
        if (member.Join is { } previous)
        {
            // The client gave up on its earlier JoinGroup and sent another: the old one gets an answer too.
            GroupReply.Send(_shard.Shard, previous.Context, JoinError(ErrorCode.RebalanceInProgress, member.MemberId), GroupReply.Join);
        }
        member.Join = req;
    }

    /// <summary>The member's protocol type matches and it shares at least one assignor with every other member.</summary>
    private bool SupportsProtocols(string protocolType, List<JoinGroupRequest.Protocol> protocols, string memberId)
    {
        if (protocolType.Length == 0 || protocols.Count == 0)
        {
            return false;
        }
        int others = 0;
        foreach (GroupMember m in _members)
        {
            if (m.MemberId != memberId)
            {
                others++;
            }
        }
        if (others == 0)
        {
            return true;
        }
        if (ProtocolType != protocolType)
        {
            return false;
        }
        foreach (JoinGroupRequest.Protocol p in protocols)
        {
            bool everyone = true;
            foreach (GroupMember m in _members)
            {
                if (m.MemberId != memberId && !m.Supports(p.Name))
                {
                    everyone = false;
                    break;
                }
            }
            if (everyone)
            {
                return true;
            }
        }
        return false;
    }

    // ---- Rebalance -------------------------------------------------------------------------------------------------

    private void PrepareRebalance(long nowMs, string reason)
    {
        if (Phase == GroupPhase.CompletingRebalance)
        {
            // The assignment being completed is void: waiting SyncGroups must re-join.
            foreach (GroupMember m in _members)
            {
                if (m.Sync is { } sync)
                {
                    m.Sync = null;
                    GroupReply.Send(_shard.Shard, sync.Context, new SyncGroupResponse { ErrorCode = ErrorCode.RebalanceInProgress }, GroupReply.Sync);
                }
                m.Assignment = [];
            }
        }
        bool wasEmpty = Phase == GroupPhase.Empty;
        Phase = GroupPhase.PreparingRebalance;
        int timeoutMs = 0;
        foreach (GroupMember m in _members)
        {
            timeoutMs = Math.Max(timeoutMs, m.RebalanceTimeoutMs);
        }
        _rebalanceDeadlineMs = nowMs + timeoutMs;
        if (wasEmpty)
        {
            _initialDelayUntilMs = nowMs + Settings.InitialRebalanceDelayMs;
            _initialDelayCapMs = nowMs + Math.Max(timeoutMs, Settings.InitialRebalanceDelayMs);
        }
        else
        {
            _initialDelayUntilMs = 0;
        }
        Logger.LogInformation("Group {Group}: preparing rebalance after generation {Generation}: {Reason}", Id, Generation, reason);
        TryCompleteJoin(nowMs);
    }

    /// <summary>Completes the join phase once every member has re-joined (or the rebalance timeout passed).</summary>
    private void TryCompleteJoin(long nowMs)
    {
        if (Phase != GroupPhase.PreparingRebalance)
        {
            return;
        }
        bool allJoined = _pendingMembers.Count == 0;
        foreach (GroupMember m in _members)
        {
            if (m.Join is null)
            {
                allJoined = false;
                break;
            }
        }
        bool timedOut = nowMs >= _rebalanceDeadlineMs;
        if (!(allJoined && nowMs >= _initialDelayUntilMs) && !timedOut)
        {
            return;
        }
        if (timedOut)
        {
            // Dynamic members that did not re-join in time are gone; static ones keep their slot until their session ends.
            for (int i = _members.Count - 1; i >= 0; i--)
            {
                GroupMember m = _members[i];
                if (m.Join is null && !m.IsStatic)
                {
                    RemoveMemberState(m);
                }
            }
            _pendingMembers.Clear();
        }
        bool anyJoined = false;
        foreach (GroupMember m in _members)
        {
            anyJoined |= m.Join is not null;
        }
        Generation++;
        if (!anyJoined)
        {
            Phase = GroupPhase.Empty;
            ProtocolName = null;
            LeaderId = null;
            Logger.LogInformation("Group {Group}: generation {Generation} has no members", Id, Generation);
            // Kafka records the empty generation too: after a restart the group is Empty, not back at its last members.
            StoreMetadata(null);
            return;
        }
        ProtocolName = SelectProtocol();
        if (LeaderId is null || !_byId.TryGetValue(LeaderId, out GroupMember? leader) || leader.Join is null)
        {
            LeaderId = null;
            foreach (GroupMember m in _members)
            {
                if (m.Join is not null)
                {
                    LeaderId = m.MemberId;
                    break;
                }
            }
        }
        Phase = GroupPhase.CompletingRebalance;
        Logger.LogInformation("Group {Group}: generation {Generation} with {Count} member(s), protocol {Protocol}, leader {Leader}",
            Id, Generation, _members.Count, ProtocolName, LeaderId);
        foreach (GroupMember m in _members)
        {
            if (m.Join is { } join)
            {
                m.Join = null;
                m.LastSeenMs = nowMs;
                ReplyJoin(join, m);
            }
        }
    }

    /// <summary>Kafka's vote: among the assignors every member offers, each member votes for its first; most votes wins.</summary>
    private string SelectProtocol()
    {
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        List<JoinGroupRequest.Protocol> first = _members[0].Protocols;
        foreach (JoinGroupRequest.Protocol p in first)
        {
            bool everyone = true;
            foreach (GroupMember m in _members)
            {
                everyone &= m.Supports(p.Name);
            }
            if (everyone)
            {
                votes.TryAdd(p.Name, 0);
            }
        }
        foreach (GroupMember m in _members)
        {
            foreach (JoinGroupRequest.Protocol p in m.Protocols)
            {
                if (votes.TryGetValue(p.Name, out int n))
                {
                    votes[p.Name] = n + 1;
                    break;
                }
            }
        }
        string best = first[0].Name;
        int bestVotes = -1;
        foreach (JoinGroupRequest.Protocol p in first)
        {
            if (votes.TryGetValue(p.Name, out int n) && n > bestVotes)
            {
                best = p.Name;
                bestVotes = n;
            }
        }
        return best;
    }

    // ---- SyncGroup, Heartbeat, LeaveGroup --------------------------------------------------------------------------

    public void Sync(ParkedRequest req, SyncGroupRequest r, long nowMs)
    {
        ErrorCode error = CheckMember(r.MemberId, r.GroupInstanceId, r.GenerationId, out GroupMember? member);
        if (error == ErrorCode.None && ((r.ProtocolType is not null && r.ProtocolType != ProtocolType)
            || (r.ProtocolName is not null && r.ProtocolName != ProtocolName)))
        {
            error = ErrorCode.InconsistentGroupProtocol;
        }
        if (error == ErrorCode.None)
        {
            error = Phase switch
            {
                GroupPhase.PreparingRebalance => ErrorCode.RebalanceInProgress,
                GroupPhase.CompletingRebalance or GroupPhase.Stable => ErrorCode.None,
                _ => ErrorCode.UnknownMemberId,
            };
        }
        if (error != ErrorCode.None)
        {
            GroupReply.Send(_shard.Shard, req.Context, new SyncGroupResponse { ErrorCode = error }, GroupReply.Sync);
            return;
        }
        member!.LastSeenMs = nowMs;
        if (Phase == GroupPhase.Stable)
        {
            ReplySync(req, member);
            return;
        }
        if (member.Sync is { } previous)
        {
            GroupReply.Send(_shard.Shard, previous.Context, new SyncGroupResponse { ErrorCode = ErrorCode.RebalanceInProgress }, GroupReply.Sync);
        }
        member.Sync = req;
        if (member.MemberId != LeaderId || _storingGeneration == Generation)
        {
            // Followers wait for the leader; a leader retrying while its generation is being stored waits for that.
            return;
        }
        foreach (GroupMember m in _members)
        {
            m.Assignment = [];
        }
        foreach (SyncGroupRequest.Assignment a in r.Assignments)
        {
            if (_byId.TryGetValue(a.MemberId, out GroupMember? target))
            {
                target.Assignment = a.Data;
            }
        }
        CompleteGeneration();
    }

    public ErrorCode Heartbeat(HeartbeatRequest r, long nowMs)
    {
        ErrorCode error = CheckMember(r.MemberId, r.GroupInstanceId, r.GenerationId, out GroupMember? member);
        if (member is not null && error is ErrorCode.None or ErrorCode.IllegalGeneration)
        {
            member.LastSeenMs = nowMs;
        }
        if (error != ErrorCode.None)
        {
            return error;
        }
        return Phase switch
        {
            GroupPhase.PreparingRebalance => ErrorCode.RebalanceInProgress,
            GroupPhase.CompletingRebalance or GroupPhase.Stable => ErrorCode.None,
            _ => ErrorCode.UnknownMemberId,
        };
    }

    /// <summary>Removes one leaving member (found by member id, or by instance id when the member id is empty).</summary>
    public ErrorCode Leave(string memberId, string? instanceId, long nowMs)
    {
        if (memberId.Length == 0 && instanceId is not null && _staticMembers.TryGetValue(instanceId, out string? byInstance))
        {
            memberId = byInstance;
        }
        else if (instanceId is not null && _staticMembers.TryGetValue(instanceId, out string? current) && current != memberId)
        {
            return ErrorCode.FencedInstanceId;
        }
        if (_pendingMembers.Remove(memberId))
        {
            TryCompleteJoin(nowMs);
            return ErrorCode.None;
        }
        if (!_byId.TryGetValue(memberId, out GroupMember? member))
        {
            return ErrorCode.UnknownMemberId;
        }
        RemoveMember(member, nowMs, $"member {memberId} left");
        return ErrorCode.None;
    }

    private void RemoveMember(GroupMember member, long nowMs, string reason)
    {
        FailParked(member, ErrorCode.UnknownMemberId);
        RemoveMemberState(member);
        switch (Phase)
        {
            case GroupPhase.Stable:
            case GroupPhase.CompletingRebalance:
                PrepareRebalance(nowMs, reason);
                break;
            case GroupPhase.PreparingRebalance:
                Logger.LogInformation("Group {Group}: {Reason}", Id, reason);
                TryCompleteJoin(nowMs);
                break;
        }
    }

    private void RemoveMemberState(GroupMember member)
    {
        _members.Remove(member);
        _byId.Remove(member.MemberId);
        if (member.InstanceId is not null && _staticMembers.TryGetValue(member.InstanceId, out string? id) && id == member.MemberId)
        {
            _staticMembers.Remove(member.InstanceId);
        }
        if (LeaderId == member.MemberId)
        {
            LeaderId = null;
        }
    }

    private void FailParked(GroupMember member, ErrorCode error)
    {
        if (member.Join is { } join)
        {
            member.Join = null;
            GroupReply.Send(_shard.Shard, join.Context, JoinError(error, member.MemberId), GroupReply.Join);
        }
        if (member.Sync is { } sync)
        {
            member.Sync = null;
            GroupReply.Send(_shard.Shard, sync.Context, new SyncGroupResponse { ErrorCode = error }, GroupReply.Sync);
        }
    }

    /// <summary>Periodic: expires sessions and pending member ids, and completes a rebalance whose wait is over.</summary>
    public void OnTick(long nowMs)
    {
        foreach (KeyValuePair<string, long> p in _pendingMembers)
        {
            if (nowMs >= p.Value)
            {
                _pendingMembers.Remove(p.Key);
            }
        }
        for (int i = _members.Count - 1; i >= 0; i--)
        {
            if (i >= _members.Count)
            {
                continue;
            }
            GroupMember m = _members[i];
            // A member with a parked JoinGroup or SyncGroup is alive by definition: it is waiting for us.
            if (m.Join is null && m.Sync is null && nowMs - m.LastSeenMs > m.SessionTimeoutMs)
            {
                RemoveMember(m, nowMs, $"session of member {m.MemberId} expired after {m.SessionTimeoutMs} ms");
            }
        }
        TryCompleteJoin(nowMs);
    }

    /// <summary>Answers every parked request (shutdown, group deletion).</summary>
    public void FailAllParked(ErrorCode error)
    {
        foreach (GroupMember m in _members)
        {
            FailParked(m, error);
        }
    }

    /// <summary>Validates a member request: static fencing, membership, generation.</summary>
    private ErrorCode CheckMember(string memberId, string? instanceId, int generation, out GroupMember? member)
    {
        member = null;
        ErrorCode fence = CheckStatic(memberId, instanceId);
        if (fence != ErrorCode.None)
        {
            return fence;
        }
        if (!_byId.TryGetValue(memberId, out member))
        {
            return ErrorCode.UnknownMemberId;
        }
        return generation != Generation ? ErrorCode.IllegalGeneration : ErrorCode.None;
    }

    private ErrorCode CheckStatic(string memberId, string? instanceId) =>
        instanceId is not null && _staticMembers.TryGetValue(instanceId, out string? current) && current != memberId
            ? ErrorCode.FencedInstanceId
            : ErrorCode.None;

    // ---- Replies ---------------------------------------------------------------------------------------------------

    private void ReplyJoin(ParkedRequest req, GroupMember member, bool skipAssignment = false)
    {
        var response = new JoinGroupResponse
        {
            GenerationId = Generation,
            ProtocolType = ProtocolType,
            ProtocolName = ProtocolName,
            Leader = LeaderId ?? "",
            MemberId = member.MemberId,
            SkipAssignment = skipAssignment && req.Version >= 9,
        };
        if (member.MemberId == LeaderId)
        {
            foreach (GroupMember m in _members)
            {
                response.Members.Add(new JoinGroupResponse.Member
                {
                    MemberId = m.MemberId,
                    GroupInstanceId = m.InstanceId,
                    Metadata = m.MetadataFor(ProtocolName),
                });
            }
        }
        GroupReply.Send(_shard.Shard, req.Context, response, GroupReply.Join);
    }

    private void ReplyJoinError(ParkedRequest req, ErrorCode error, string memberId) =>
        GroupReply.Send(_shard.Shard, req.Context, JoinError(error, memberId), GroupReply.Join);

    private static JoinGroupResponse JoinError(ErrorCode error, string memberId) =>
        new() { ErrorCode = error, GenerationId = -1, MemberId = memberId };

    private void ReplySync(ParkedRequest req, GroupMember member) =>
        GroupReply.Send(_shard.Shard, req.Context,
            new SyncGroupResponse { ProtocolType = ProtocolType, ProtocolName = ProtocolName, Assignment = member.Assignment }, GroupReply.Sync);
}
