using System.Collections.Generic;
using System.Threading;
using FastMQ.Broker.Metadata;
using FastMQ.Core;
using FastMQ.Runtime;
using FastMQ.Storage;

namespace FastMQ.Broker.Partitions;

/// <summary>
/// One partition this broker leads: its log plus the state around it (producer state, waiting acknowledgements,
/// waiting fetches). The facade handlers go through; replication will live behind it.
/// </summary>
/// <remarks>
/// Threading: every member is used only on the <see cref="Owner"/> shard's thread, except the immutable identity
/// (<see cref="TopicName"/>, <see cref="Index"/>, <see cref="Owner"/>), which any shard may read to route work here.
/// </remarks>
public sealed class Partition
{
    private readonly List<FetchWatcher> _watchers = [];
    private long _publishedHighWatermark = -1;

    internal Partition(TopicMetadata topic, int index, ShardId owner, PartitionLog log)
    {
        TopicName = topic.Name;
        Topic = topic;
        Index = index;
        Owner = owner;
        Log = log;
        Producers = new ProducerStateTable();
    }

    public string TopicName { get; }

    /// <summary>Latest topic definition (config changes swap it); owner thread.</summary>
    public TopicMetadata Topic { get; internal set; }

    public int Index { get; }

    public ShardId Owner { get; }

    public PartitionLog Log { get; }

    /// <summary>Single node: leader epoch 0 for every partition (kafka-protocol.md §2.1).</summary>
    public Epoch LeaderEpoch => new(0);

    internal ProducerStateTable Producers { get; }

    /// <summary>Set when the partition is deleted: pending work answers UNKNOWN_TOPIC_OR_PARTITION.</summary>
    internal bool IsDeleted { get; set; }

    /// <summary>Produce requests waiting for their offsets to become acknowledgeable, in offset order.</summary>
    internal Queue<DurableWaiter> DurableWaiters { get; } = new();

    /// <summary>In the owner shard's active list (it has waiters or a high watermark to move).</summary>
    internal bool IsActive { get; set; }

    internal int WatcherCount => _watchers.Count;

    /// <summary>
    /// The high watermark as last published by the owner (<see cref="PublishHighWatermark"/>), readable from any thread;
    /// -1 until the first publication. For monitoring (group lag): it may lag the real value by the publisher's period.
    /// </summary>
    public long PublishedHighWatermark => Volatile.Read(ref _publishedHighWatermark);

    /// <summary>Owner thread: publishes the current high watermark for other threads.</summary>
    /// <remarks>A plain 64-bit store would do on x64; Volatile makes it untorn and ordered on every platform.</remarks>
    internal void PublishHighWatermark() => Volatile.Write(ref _publishedHighWatermark, Log.HighWatermark.Value);

    /// <summary>Registers a parked fetch to be woken when the high watermark moves; one entry per fetch context.</summary>
    internal void Watch(IFetchWaker context, long generation, ShardId origin)
    {
        for (int i = 0; i < _watchers.Count; i++)
        {
            if (ReferenceEquals(_watchers[i].Context, context))
            {
                _watchers[i] = new FetchWatcher(context, generation, origin);
                return;
            }
        }
        _watchers.Add(new FetchWatcher(context, generation, origin));
    }

    /// <summary>Wakes and forgets every watcher (called on the owner when new data becomes visible).</summary>
    internal void WakeWatchers(Shard shard)
    {
        for (int i = 0; i < _watchers.Count; i++)
        {
            FetchWatcher w = _watchers[i];
            w.Context.Wake(shard, w.Origin, w.Generation);
        }
        _watchers.Clear();
    }

    public override string ToString() => $"{TopicName}-{Index}";
}

/// <summary>A produce request slot waiting until its partition's acknowledgeable offset passes <see cref="LastOffset"/>.</summary>
internal readonly record struct DurableWaiter(IDurableWaiter Context, int Slot, long LastOffset, long Generation);

/// <summary>A parked fetch to wake on new data.</summary>
internal readonly record struct FetchWatcher(IFetchWaker Context, long Generation, ShardId Origin);

/// <summary>Implemented by produce contexts: called on the partition's owner shard once the slot's data is acknowledgeable (or failed).</summary>
internal interface IDurableWaiter
{
    void OnDurable(Shard shard, int slot, long generation, Storage.AppendStatus status);
}

/// <summary>Implemented by fetch contexts: called on the partition's owner shard; posts a wake-up to the fetch's shard.</summary>
internal interface IFetchWaker
{
    void Wake(Shard ownerShard, ShardId origin, long generation);
}
