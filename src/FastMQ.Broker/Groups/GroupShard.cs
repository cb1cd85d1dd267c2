using System.Collections.Generic;
using System.Threading;
using FastMQ.Broker.Partitions;
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
/// Shard thread only, except construction and <see cref="LagSnapshot"/>. One tick every <see cref="TickMs"/> scans the
/// shard's groups: cheap for the hundreds of groups a node serves, and it keeps timer bookkeeping out of the state
/// machine. Every <see cref="LagEveryTicks"/> ticks the shard publishes the high watermarks of the partitions it owns
/// and an immutable lag snapshot of its groups for metrics readers on other threads.
/// </remarks>
internal sealed class GroupShard : IShardTimerCallback
{
    public const int TickMs = 50;
    private const int MaintenanceEveryTicks = 100;
    public const int LagEveryTicks = 20;

    private readonly GroupCoordinator _coordinator;
    private readonly Dictionary<string, Group> _groups = new(System.StringComparer.Ordinal);
    private readonly List<OffsetsLog> _logs = [];
    private TimerHandle _timer;
    private int _ticks;
    private bool _stopped;
    private GroupLagSnapshot[] _lag = [];

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

    /// <summary>Any thread: the lag snapshot of this shard's groups published last (at most ~1 s old while ticking).</summary>
    public GroupLagSnapshot[] LagSnapshot => Volatile.Read(ref _lag);

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
        long records = log.Replay(
            (groupId, key, value) => GetOrCreate(groupId).ApplyReplayed(key, value),
            (groupId, metadata, value) => GetOrCreate(groupId).ApplyReplayedMetadata(metadata, value));
        foreach (Group g in new List<Group>(_groups.Values))
        {
            if (g.OffsetsLog == log && g.Offsets.Count == 0 && g.LatestMetadataValue is null)
            {
                _groups.Remove(g.Id);
            }
            else if (g.OffsetsLog == log && g.Members.Count > 0)
            {
                Logger.LogInformation("Group {Group}: restored {Phase} at generation {Generation} with {Count} member(s), leader {Leader}",
                    g.Id, g.Phase, g.Generation, g.Members.Count, g.LeaderId);
            }
        }
        return records;
    }

    /// <summary>Start-up, after every partition is loaded: sessions start now, the tick and the lag snapshots begin.</summary>
    public void StartTicking()
    {
        foreach (Group g in _groups.Values)
        {
            g.RestartSessions(NowMs);
        }
        PublishOwnedHighWatermarks();
        _timer = Shard.Timers.ScheduleAfter(TickMs, this);
    }

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
        if (_ticks % LagEveryTicks == 0)
        {
            PublishLag();
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
                // Kafka's Empty → Dead once nothing is left: the tombstone keeps a restart from bringing the group back.
                if (g.LatestMetadataValue is not null)
                {
                    g.StoreMetadataTombstone(null);
                }
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
            if (g.LatestMetadataValue is { } metadata)
            {
                // The newest metadata record, byte for byte (not the current state, which may be mid-rebalance).
                records.Add(new(OffsetRecordCodec.EncodeGroupKey(g.Id), metadata));
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
                Logger.LogInformation("Compacted {Partition}: {Live} live record(s) rewritten, log start now {Start}, {Segments} segment(s)",
                    log.Partition, records.Count, plog.LogStartOffset, plog.SegmentCount);
            }
        });
    }

    /// <summary>Publishes the high watermark of every partition this shard owns, for lag readers on other shards.</summary>
    private void PublishOwnedHighWatermarks()
    {
        foreach (Partition[] partitions in _coordinator.Partitions.All)
        {
            foreach (Partition p in partitions)
            {
                if (p.Owner == Shard.Id && !p.IsDeleted && !p.Log.IsClosed)
                {
                    p.PublishHighWatermark();
                }
            }
        }
    }

    /// <summary>
    /// Builds this shard's lag snapshot (one immutable record per group) and publishes it with a volatile write. The log
    /// end offsets are the owners' published high watermarks, so a value is at most about two periods old.
    /// </summary>
    public void PublishLag()
    {
        PublishOwnedHighWatermarks();
        PartitionRegistry registry = _coordinator.Partitions;
        long wallNowMs = WallNowMs;
        var snapshot = new GroupLagSnapshot[_groups.Count];
        int n = 0;
        foreach (Group g in _groups.Values)
        {
            var partitions = new PartitionLag[g.Offsets.Count];
            int i = 0;
            foreach (KeyValuePair<OffsetKey, CommittedOffset> e in g.Offsets)
            {
                long end = -1;
                if (registry.TryGetTopic(e.Key.Topic, out Partition[] topic) && (uint)e.Key.Partition < (uint)topic.Length
                    && !topic[e.Key.Partition].IsDeleted)
                {
                    end = topic[e.Key.Partition].PublishedHighWatermark;
                }
                long lag = end < 0 || e.Value.Offset < 0 ? -1 : System.Math.Max(0, end - e.Value.Offset);
                partitions[i++] = new PartitionLag(e.Key.Topic, e.Key.Partition, e.Value.Offset, end, lag);
            }
            snapshot[n++] = new GroupLagSnapshot(g.Id, Group.PhaseName(g.Phase), g.Generation, g.Members.Count, wallNowMs, partitions);
        }
        // Readers on other threads see either the previous array or this one, fully built (the write is a release).
        Volatile.Write(ref _lag, snapshot);
    }
}
