using System.Collections.Generic;
using FastMQ.Core;
using FastMQ.Runtime;
using FastMQ.Storage;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker.Groups;

/// <summary>
/// The groups that live on one shard (those whose __consumer_offsets partition this shard owns) and the periodic tick
/// that drives their timers, offset expiry and the compaction of this shard's __consumer_offsets partitions.
/// </summary>
/// <remarks>
/// Shard thread only, except construction. One tick every <see cref="TickMs"/> scans the shard's groups: cheap for the
/// hundreds of groups a node serves, and it keeps timer bookkeeping out of the state machine.
/// </remarks>
internal sealed class GroupShard : IShardTimerCallback
{
    public const int TickMs = 50;
    private const int MaintenanceEveryTicks = 100;

    private readonly GroupCoordinator _coordinator;
    private readonly Dictionary<string, Group> _groups = new(System.StringComparer.Ordinal);
    private readonly List<OffsetsLog> _logs = [];
    private TimerHandle _timer;
    private int _ticks;
    private bool _stopped;

    public GroupShard(GroupCoordinator coordinator, Shard shard, ILogger logger)
    {
        _coordinator = coordinator;
        Shard = shard;
        Logger = logger;
    }

    public Shard Shard { get; }

    public ILogger Logger { get; }

    public GroupSettings Settings => _coordinator.Settings;

    public IEnumerable<Group> Groups => _groups.Values;

    public int GroupCount => _groups.Count;

    public long NowMs => Shard.NowMs;

    public long WallNowMs => _coordinator.WallNowMs;

    public Group? Find(string groupId) => _groups.TryGetValue(groupId, out Group? g) ? g : null;

    public Group GetOrCreate(string groupId)
    {
        if (!_groups.TryGetValue(groupId, out Group? g))
        {
            g = new Group(groupId, this, _coordinator.LogFor(groupId));
            _groups[groupId] = g;
        }
        return g;
    }

    public void Remove(Group group)
    {
        group.MarkDead();
        _groups.Remove(group.Id);
    }

    /// <summary>Start-up, on this shard: replays one owned __consumer_offsets partition into the groups.</summary>
    public long Load(OffsetsLog log)
    {
        _logs.Add(log);
        long records = log.Replay((groupId, key, value) => GetOrCreate(groupId).ApplyReplayed(key, value));
        foreach (Group g in new List<Group>(_groups.Values))
        {
            if (g.OffsetsLog == log && g.Offsets.Count == 0)
            {
                _groups.Remove(g.Id);
            }
        }
        return records;
    }

    public void StartTicking() => _timer = Shard.Timers.ScheduleAfter(TickMs, this);

    /// <summary>Shutdown, on this shard: no more ticks; parked requests are answered (the connections are closing anyway).</summary>
    public void Stop()
    {
        _stopped = true;
        Shard.Timers.Cancel(_timer);
        foreach (Group g in _groups.Values)
        {
            g.FailAllParked(Protocol.Messages.ErrorCode.CoordinatorNotAvailable);
        }
    }

    public void OnTimer(TimerHandle handle, object? state, long arg, long nowMs)
    {
        if (_stopped)
        {
            return;
        }
        foreach (Group g in _groups.Values)
        {
            g.OnTick(nowMs);
        }
        if (++_ticks % MaintenanceEveryTicks == 0)
        {
            Maintain();
        }
        _timer = Shard.Timers.ScheduleAfter(TickMs, this);
    }

    /// <summary>Every few seconds: expire old offsets of empty groups, drop empty groups, compact the offsets logs.</summary>
    public void Maintain()
    {
        long wallNowMs = WallNowMs;
        foreach (Group g in new List<Group>(_groups.Values))
        {
            List<OffsetKey> expired = g.ExpiredOffsets(wallNowMs, Settings.OffsetsRetentionMs);
            if (expired.Count > 0)
            {
                Logger.LogInformation("Group {Group}: {Count} committed offset(s) expired", g.Id, expired.Count);
                g.WriteOffsets(expired, [.. new CommittedOffset?[expired.Count]], wallNowMs, _ => { });
            }
            else if (g.Phase == GroupPhase.Empty && !g.HasMembers && g.Offsets.Count == 0)
            {
                _groups.Remove(g.Id);
            }
        }
        foreach (OffsetsLog log in _logs)
        {
            MaybeCompact(log);
        }
    }

    /// <summary>
    /// Compaction as snapshot + retention: once the partition has sealed segments and holds far more records than live
    /// keys, the live offsets are appended again as fresh records and, when those are durable, the log start moves to
    /// the snapshot's first offset, deleting every older segment (superseded values and tombstones alike).
    /// </summary>
    private void MaybeCompact(OffsetsLog log)
    {
        PartitionLog plog = log.Partition.Log;
        if (log.SnapshotInFlight || plog.SegmentCount < 2 || plog.IsClosed)
        {
            return;
        }
        var records = new List<KeyValuePair<byte[], byte[]?>>();
        foreach (Group g in _groups.Values)
        {
            if (g.OffsetsLog != log)
            {
                continue;
            }
            foreach (KeyValuePair<OffsetKey, CommittedOffset> e in g.Offsets)
            {
                records.Add(new(OffsetRecordCodec.EncodeKey(g.Id, e.Key.Topic, e.Key.Partition), OffsetRecordCodec.EncodeValue(e.Value)));
            }
        }
        if (log.RecordsInLog <= (2L * records.Count) + 100)
        {
            return;
        }
        Offset start = plog.LogEndOffset;
        long before = log.RecordsInLog;
        if (records.Count == 0)
        {
            if (plog.HighWatermark == start && plog.TryAdvanceLogStartOffset(start))
            {
                log.RecordsInLog -= before;
            }
            return;
        }
        log.SnapshotInFlight = true;
        log.AppendMany(records, WallNowMs, status =>
        {
            log.SnapshotInFlight = false;
            if (status == AppendStatus.Ok && plog.TryAdvanceLogStartOffset(start))
            {
                log.RecordsInLog -= before;
                Logger.LogInformation("Compacted {Partition}: {Live} live offset(s) rewritten, log start now {Start}, {Segments} segment(s)",
                    log.Partition, records.Count, plog.LogStartOffset, plog.SegmentCount);
            }
        });
    }
}
