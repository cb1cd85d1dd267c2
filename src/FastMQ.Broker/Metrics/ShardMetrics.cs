using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using FastMQ.Broker.Partitions;
using FastMQ.Protocol.Messages;

namespace FastMQ.Broker.Metrics;

/// <summary>
/// One shard's metric counters: request counts and latency per API key, produce-to-durable latency, and per-partition
/// traffic counters. Everything is written by the shard's own thread only (plain fields, release stores), so the
/// produce and fetch paths pay a few stores and no allocation, lock or interlocked operation; scrapes read snapshots.
/// </summary>
/// <remarks>
/// Partition counters are found through a per-shard dictionary keyed by the partition object. An entry is created the
/// first time this shard counts a partition (one allocation per partition per shard, never again in steady state) and
/// then published to readers as a new immutable array (copy-on-write), so a scrape never touches the dictionary.
/// </remarks>
public sealed class ShardMetrics
{
    /// <summary>API keys 0..MaxApiKey have their own slot; anything else (garbage in a malformed frame) shares the last.</summary>
    public const int MaxApiKey = 127;

    private static readonly double NsPerTick = 1e9 / Stopwatch.Frequency;

    private readonly Dictionary<Partition, PartitionCounters> _byPartition = new(ReferenceEqualityComparer.Instance);
    private readonly long[] _requests = new long[MaxApiKey + 2];
    private readonly LatencyHistogram?[] _latency = new LatencyHistogram?[MaxApiKey + 2];
    private PartitionCounters[] _published = [];

    /// <summary>Append → acknowledgeable under the topic's flush policy, per appended batch with acks 1 or -1 (owner shard).</summary>
    public LatencyHistogram ProduceDurable { get; } = new();

    /// <summary>Every partition this shard has counted so far (immutable snapshot; any thread).</summary>
    public IReadOnlyList<PartitionCounters> Partitions => Volatile.Read(ref _published);

    /// <summary>Requests completed for <paramref name="apiSlot"/> (see <see cref="SlotOf"/>); any thread.</summary>
    public long RequestsAt(int apiSlot) => Volatile.Read(ref _requests[apiSlot]);

    /// <summary>Latency histogram of <paramref name="apiSlot"/>, or null if this shard has not completed one yet; any thread.</summary>
    public LatencyHistogram? LatencyAt(int apiSlot) => Volatile.Read(ref _latency[apiSlot]);

    public static int SlotOf(ApiKey key) => (uint)(short)key <= MaxApiKey ? (short)key : MaxApiKey + 1;

    /// <summary>Counts a completed request and its latency (received → response handed to the connection). This shard only.</summary>
    public void CountRequest(ApiKey key, long startTimestamp)
    {
        int slot = SlotOf(key);
        LatencyHistogram? histogram = _latency[slot] ?? CreateLatency(slot);
        histogram.Record(ElapsedNs(startTimestamp));
        Volatile.Write(ref _requests[slot], _requests[slot] + 1);
    }

    /// <summary>This shard's counters for <paramref name="partition"/>. This shard only; allocates only the first time.</summary>
    public PartitionCounters For(Partition partition)
    {
        if (_byPartition.TryGetValue(partition, out PartitionCounters? counters))
        {
            return counters;
        }
        return Add(partition);
    }

    /// <summary>Forgets a deleted partition (this shard only); its traffic drops out of the topic totals.</summary>
    public void Forget(Partition partition)
    {
        if (_byPartition.Remove(partition))
        {
            Publish();
        }
    }

    /// <summary>Nanoseconds since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/> value).</summary>
    public static long ElapsedNs(long startTimestamp)
    {
        long ticks = Stopwatch.GetTimestamp() - startTimestamp;
        // Linux's Stopwatch ticks are nanoseconds already; the multiply only serves other platforms.
        return Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * NsPerTick);
    }

    /// <summary>
    /// Drops counters of deleted partitions this shard counted without owning them (fetches from other shards'
    /// partitions), so they neither pin the closed partition nor linger. This shard only; allocates only when it drops.
    /// </summary>
    public void ForgetDeleted()
    {
        List<Partition>? deleted = null;
        foreach (Partition p in _byPartition.Keys)
        {
            // IsDeleted is set by the owner shard; a stale false here just defers the drop to the next pass.
            if (p.IsDeleted)
            {
                (deleted ??= []).Add(p);
            }
        }
        if (deleted is null)
        {
            return;
        }
        foreach (Partition p in deleted)
        {
            _byPartition.Remove(p);
        }
        Publish();
    }

    private LatencyHistogram CreateLatency(int slot)
    {
        // Once per API key per shard: release store so a scraping thread sees a fully constructed histogram.
        var histogram = new LatencyHistogram();
        Volatile.Write(ref _latency[slot], histogram);
        return histogram;
    }

    private PartitionCounters Add(Partition partition)
    {
        var counters = new PartitionCounters(partition);
        _byPartition.Add(partition, counters);
        Publish();
        return counters;
    }

    private void Publish()
    {
        var snapshot = new PartitionCounters[_byPartition.Count];
        _byPartition.Values.CopyTo(snapshot, 0);
        // Release: readers see a complete array of constructed counters.
        Volatile.Write(ref _published, snapshot);
    }
}
