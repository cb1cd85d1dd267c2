using System.Collections.Generic;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using FastMQ.Storage;

namespace FastMQ.Broker.Groups;

/// <summary>
/// Committed offsets of the group. The cache holds the newest value appended to __consumer_offsets for each key (so a
/// compaction snapshot taken while commits are in flight still writes their values after them); a commit is
/// acknowledged only once its record is acknowledgeable under the flush policy, and RequireStable fetches see
/// UNSTABLE_OFFSET_COMMIT for keys whose newest value is not yet.
/// </summary>
internal sealed partial class Group
{
    private readonly Dictionary<OffsetKey, CommittedOffset> _offsets = [];
    private readonly Dictionary<OffsetKey, int> _inFlight = [];

    public IReadOnlyDictionary<OffsetKey, CommittedOffset> Offsets => _offsets;

    /// <summary>Replay: applies one record read back from the log (null = tombstone).</summary>
    public void ApplyReplayed(OffsetKey key, CommittedOffset? value)
    {
        if (value is { } v)
        {
            _offsets[key] = v;
        }
        else
        {
            _offsets.Remove(key);
        }
    }

    /// <summary>Validates a commit against membership and generation (kafka-protocol.md §5.4).</summary>
    public ErrorCode CheckCommit(string memberId, string? instanceId, int generation, long nowMs)
    {
        if (generation < 0 && memberId.Length == 0 && instanceId is null)
        {
            // Standalone commit (no group management): allowed while the group has no members.
            return _members.Count == 0 ? ErrorCode.None : ErrorCode.UnknownMemberId;
        }
        ErrorCode error = CheckMember(memberId, instanceId, generation, out GroupMember? member);
        if (error != ErrorCode.None)
        {
            return error;
        }
        member!.LastSeenMs = nowMs;
        // Members commit what they processed before re-joining while the group prepares a rebalance; once the new
        // generation is being assigned, commits of the old one are stale.
        return Phase == GroupPhase.CompletingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
    }

    /// <summary>
    /// Appends commits (or tombstones, <paramref name="values"/>[i] null) and updates the cache at once; <paramref name="done"/>
    /// runs on this shard when they are durable (status Ok) or failed (the cache entries are rolled back). With
    /// <paramref name="tombstoneGroup"/> the same batch also tombstones the group's metadata (DeleteGroups), so a replay
    /// sees the deletion whole or not at all.
    /// </summary>
    public void WriteOffsets(List<OffsetKey> keys, List<CommittedOffset?> values, long wallNowMs, System.Action<AppendStatus> done,
        bool tombstoneGroup = false)
    {
        var records = new List<KeyValuePair<byte[], byte[]?>>(keys.Count);
        var previous = new List<CommittedOffset?>(keys.Count);
        for (int i = 0; i < keys.Count; i++)
        {
            OffsetKey key = keys[i];
            CommittedOffset? value = values[i];
            records.Add(new(OffsetRecordCodec.EncodeKey(Id, key.Topic, key.Partition), value is { } v ? OffsetRecordCodec.EncodeValue(v) : null));
            previous.Add(_offsets.TryGetValue(key, out CommittedOffset old) ? old : null);
            ApplyReplayed(key, value);
            _inFlight[key] = _inFlight.GetValueOrDefault(key) + 1;
        }
        byte[]? previousMetadata = _metadataValue;
        if (tombstoneGroup)
        {
            records.Add(new(OffsetRecordCodec.EncodeGroupKey(Id), null));
            _metadataValue = null;
        }
        OffsetsLog.Append(records, wallNowMs, status =>
        {
            if (tombstoneGroup && status != AppendStatus.Ok && _metadataValue is null)
            {
                _metadataValue = previousMetadata;
            }
            for (int i = 0; i < keys.Count; i++)
            {
                OffsetKey key = keys[i];
                int n = _inFlight[key] - 1;
                if (n == 0)
                {
                    _inFlight.Remove(key);
                }
                else
                {
                    _inFlight[key] = n;
                }
                CommittedOffset? current = _offsets.TryGetValue(key, out CommittedOffset cur) ? cur : null;
                if (status != AppendStatus.Ok && n == 0 && Equals(current, values[i]))
                {
                    ApplyReplayed(key, previous[i]);
                }
            }
            done(status);
        });
    }

    public bool TryGetOffset(OffsetKey key, out CommittedOffset value) => _offsets.TryGetValue(key, out value);

    public bool IsUnstable(OffsetKey key) => _inFlight.ContainsKey(key);

    /// <summary>True when a member's consumer subscription names <paramref name="topic"/> (OffsetDelete refuses then).</summary>
    public bool IsSubscribedTo(string topic)
    {
        if (ProtocolType != "consumer" || ProtocolName is null)
        {
            return false;
        }
        foreach (GroupMember m in _members)
        {
            byte[] metadata = m.MetadataFor(ProtocolName);
            try
            {
                if (ConsumerProtocolSubscription.Decode(metadata).Topics.Contains(topic))
                {
                    return true;
                }
            }
            catch (KafkaProtocolException)
            {
                // Unreadable subscription bytes: be safe and treat the topic as subscribed.
                return true;
            }
        }
        return false;
    }

    /// <summary>Keys of an empty group whose commit is older than the retention (offsets.retention.minutes).</summary>
    public List<OffsetKey> ExpiredOffsets(long wallNowMs, long retentionMs)
    {
        var expired = new List<OffsetKey>();
        if (Phase != GroupPhase.Empty)
        {
            return expired;
        }
        foreach (KeyValuePair<OffsetKey, CommittedOffset> e in _offsets)
        {
            if (e.Value.CommitTimestampMs + retentionMs < wallNowMs && !_inFlight.ContainsKey(e.Key))
            {
                expired.Add(e.Key);
            }
        }
        return expired;
    }

    /// <summary>Deleted: answers parked requests and forgets the members (DeleteGroups only runs on empty groups).</summary>
    public void MarkDead()
    {
        FailAllParked(ErrorCode.CoordinatorNotAvailable);
        Phase = GroupPhase.Dead;
    }
}
