using System.Collections.Generic;
using FastMQ.Broker.Partitions;
using FastMQ.Core;
using FastMQ.Runtime;
using FastMQ.Storage;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker.Shards;

/// <summary>
/// The broker's state on one shard: the shard's storage context (its io_uring) and the partitions it owns. Polled by
/// the shard every turn: drives the storage device, moves high watermarks to what the flush policy allows, completes
/// produce requests waiting for durability and wakes parked fetches.
/// </summary>
/// <remarks>Shard thread only. Allocates nothing per turn.</remarks>
internal sealed class BrokerShard : IShardWorkSource
{
    private readonly List<Partition> _owned = [];
    private readonly List<Partition> _active = [];
    private readonly BrokerContext _broker;
    private long _nextRetentionMs;

    public BrokerShard(BrokerContext broker, ShardId id, LogIoContext io)
    {
        _broker = broker;
        Id = id;
        Io = io;
    }

    public ShardId Id { get; }

    /// <summary>Produce contexts rented and returned on this shard (the requests' shard).</summary>
    public ShardLocalPool<Handlers.ProduceContext> ProducePool { get; } = new(static () => new Handlers.ProduceContext(), 1024, 64);

    /// <summary>Fetch contexts rented and returned on this shard.</summary>
    public ShardLocalPool<Handlers.FetchContext> FetchPool { get; } = new(static () => new Handlers.FetchContext(), 1024, 64);

    public LogIoContext Io { get; }

    /// <summary>This shard's metric counters (written only here; read by scrapes, see <see cref="Metrics.BrokerMetrics"/>).</summary>
    public Metrics.ShardMetrics Metrics { get; } = new();

    public string Name => "broker";

    public IReadOnlyList<Partition> Owned => _owned;

    public void AddOwned(Partition partition) => _owned.Add(partition);

    public void RemoveOwned(Partition partition)
    {
        _owned.Remove(partition);
        _active.Remove(partition);
        Metrics.Forget(partition);
    }

    /// <summary>Puts a partition in the per-turn list after an append (its high watermark and waiters need attention).</summary>
    public void MarkActive(Partition partition)
    {
        if (!partition.IsActive)
        {
            partition.IsActive = true;
            _active.Add(partition);
        }
    }

    public int DoWork(Shard shard, long nowNs)
    {
        int work = 0;
        if (Io.LogCount > 0)
        {
            work = Io.Poll();
            if (Io.NextDueNs != long.MaxValue)
            {
                // A group-commit sync is due then: no completion will wake the shard for it.
                shard.PollBy(Io.NextDueNs);
            }
        }
        for (int i = _active.Count - 1; i >= 0; i--)
        {
            Partition p = _active[i];
            work += Advance(shard, p);
            if (p.DurableWaiters.Count == 0 && p.Log.HighWatermark == p.Log.LogEndOffset)
            {
                p.IsActive = false;
                _active.RemoveAt(i);
            }
        }
        long nowMs = nowNs / 1_000_000;
        if (nowMs >= _nextRetentionMs)
        {
            _nextRetentionMs = nowMs + _broker.Options.RetentionCheckIntervalMs;
            work += ApplyRetention();
            Metrics.ForgetDeleted();
        }
        return work;
    }

    private int Advance(Shard shard, Partition p)
    {
        PartitionLog log = p.Log;
        int work = 0;
        Offset ack = log.AcknowledgeableOffset;
        if (ack > log.HighWatermark && log.TrySetHighWatermark(ack))
        {
            p.WakeWatchers(shard);
            work++;
        }
        long hw = log.HighWatermark.Value;
        while (p.DurableWaiters.TryPeek(out DurableWaiter w) && w.LastOffset < hw)
        {
            p.DurableWaiters.Dequeue();
            w.Context.OnDurable(shard, w.Slot, w.Generation, AppendStatus.Ok);
            work++;
        }
        if (log.FaultErrno != 0 || log.IsClosed)
        {
            // The log can no longer make these appends durable: fail them (KAFKA_STORAGE_ERROR), never acknowledge.
            AppendStatus status = log.IsClosed ? AppendStatus.Closed : AppendStatus.IoError;
            while (p.DurableWaiters.TryDequeue(out DurableWaiter w))
            {
                w.Context.OnDurable(shard, w.Slot, w.Generation, status);
                work++;
            }
        }
        return work;
    }

    private int ApplyRetention()
    {
        int deleted = 0;
        foreach (Partition p in _owned)
        {
            int n = p.Log.ApplyRetention();
            if (n > 0)
            {
                deleted += n;
                _broker.Logger.LogInformation("Retention deleted {Count} segment(s) of {Partition}; log start offset is now {Start}",
                    n, p, p.Log.LogStartOffset);
            }
        }
        return deleted;
    }
}
