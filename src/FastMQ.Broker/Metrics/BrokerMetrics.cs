using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.IO;
using FastMQ.Broker.Groups;
using FastMQ.Broker.Partitions;
using FastMQ.Protocol.Messages;
using FastMQ.Runtime;

namespace FastMQ.Broker.Metrics;

/// <summary>
/// The broker's metrics: one <see cref="Meter"/> named <see cref="MeterName"/> whose instruments are all observable
/// (read from the shards' own counters when a listener collects: the Prometheus endpoint, dotnet-counters,
/// fastmq-diag), plus the latency histograms, which <see cref="System.Diagnostics.Metrics"/> cannot take
/// pre-aggregated and which <see cref="WriteHistograms"/> renders in Prometheus text format instead.
/// </summary>
/// <remarks>
/// Nothing here runs on the produce or fetch path: the shards keep plain single-writer counters
/// (<see cref="ShardMetrics"/>) and this class only reads them, on the collecting thread, allocating freely.
/// Instrument names are dotted; the Prometheus name replaces dots with underscores, adds <c>_bytes</c> for unit
/// <c>By</c>, and <c>_total</c> for counters (docs/METRICS.md lists them all).
/// </remarks>
public sealed class BrokerMetrics : IDisposable
{
    public const string MeterName = "FastMQ.Broker";

    private readonly BrokerContext _broker;
    private readonly ShardStallDetector? _stalls;
    private readonly Meter _meter;

    internal BrokerMetrics(BrokerContext broker, ShardStallDetector? stalls)
    {
        _broker = broker;
        _stalls = stalls;
        _meter = new Meter(MeterName);
        _meter.CreateObservableCounter("fastmq.topic.in", () => TopicTotals(static c => c.BytesIn), "By", "Bytes of record batches appended, per topic (idempotent duplicates excluded).");
        _meter.CreateObservableCounter("fastmq.topic.in.records", () => TopicTotals(static c => c.RecordsIn), "{record}", "Records appended, per topic.");
        _meter.CreateObservableCounter("fastmq.topic.out", () => TopicTotals(static c => c.BytesOut), "By", "Record bytes returned to fetches (consumers and followers), per topic.");
        _meter.CreateObservableCounter("fastmq.topic.out.records", () => TopicTotals(static c => c.RecordsOut), "{record}", "Records returned to fetches at or after the fetch offset, per topic.");
        _meter.CreateObservableCounter("fastmq.requests", RequestCounts, "{request}", "Requests completed (answered, or closed the connection), per API.");
        _meter.CreateObservableGauge("fastmq.partition.log.end.offset", () => PartitionOffsets(static p => p.Log.LogEndOffset.Value), "{offset}", "Offset the next appended record gets.");
        _meter.CreateObservableGauge("fastmq.partition.high.watermark", () => PartitionOffsets(static p => p.Log.HighWatermark.Value), "{offset}", "Offset up to which records are acknowledgeable and visible to consumers.");
        _meter.CreateObservableGauge("fastmq.partition.log.start.offset", () => PartitionOffsets(static p => p.Log.LogStartOffset.Value), "{offset}", "First offset still in the log (retention and DeleteRecords move it).");
        _meter.CreateObservableGauge("fastmq.shard.mailbox.depth", () => PerShard(static s => s.MailboxCount), "{message}", "Messages waiting in a shard's mailbox.");
        _meter.CreateObservableGauge("fastmq.shard.outbox.pending", () => PerShard(static s => s.OutboxPending), "{message}", "Messages a shard holds for other shards' full mailboxes.");
        _meter.CreateObservableCounter("fastmq.shard.loop.turns", () => PerShard(static s => s.Turns), "{turn}", "Event-loop turns a shard has started.");
        _meter.CreateObservableGauge("fastmq.group.lag", GroupLag, "{record}", "Records between a consumer group's committed offset and the partition's high watermark (up to ~2 s old).");
        _meter.CreateObservableGauge("fastmq.group.members", GroupMembers, "{member}", "Members of a consumer group.");
        _meter.CreateObservableGauge("fastmq.group.state", GroupStates, "{state}", "1 for a consumer group's current state (label state: Empty, PreparingRebalance, CompletingRebalance, Stable).");
        _meter.CreateObservableGauge("fastmq.group.generation", GroupGenerations, "{generation}", "A consumer group's generation (rises with every rebalance).");
        if (stalls is not null)
        {
            _meter.CreateObservableCounter("fastmq.shard.stalls", StallCounts, "{stall}", $"Loop turns that ran longer than the stall threshold ({stalls.ThresholdMs} ms), per shard.");
        }
    }

    /// <summary>The meter (for in-process listeners).</summary>
    public Meter Meter => _meter;

    public void Dispose() => _meter.Dispose();

    /// <summary>
    /// Writes the latency histograms as Prometheus text (exposition format 0.0.4): request latency per API and
    /// produce-to-durable latency, summed over shards. Any thread; a consistent snapshot per histogram is not
    /// guaranteed, but counts never run backwards between scrapes.
    /// </summary>
    public void WriteHistograms(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var buckets = new long[LatencyHistogram.BucketCount];
        writer.Write("# HELP fastmq_request_duration_seconds Time from a request's arrival on its shard to its response being handed to the connection, per API.\n");
        writer.Write("# TYPE fastmq_request_duration_seconds histogram\n");
        for (int slot = 0; slot <= ShardMetrics.MaxApiKey + 1; slot++)
        {
            Array.Clear(buckets);
            long sumNs = 0;
            bool any = false;
            foreach (Shards.BrokerShard state in _broker.ShardStates)
            {
                if (state.Metrics.LatencyAt(slot) is { } h)
                {
                    any = true;
                    sumNs += Accumulate(h, buckets);
                }
            }
            if (any)
            {
                string label = $"api=\"{ApiName(slot)}\"";
                WriteHistogram(writer, "fastmq_request_duration_seconds", label, buckets, sumNs);
            }
        }

        Array.Clear(buckets);
        long durableSumNs = 0;
        foreach (Shards.BrokerShard state in _broker.ShardStates)
        {
            durableSumNs += Accumulate(state.Metrics.ProduceDurable, buckets);
        }
        writer.Write("# HELP fastmq_produce_durable_seconds Time from appending a produced batch (acks 1 or -1) to it becoming acknowledgeable under the topic's flush policy.\n");
        writer.Write("# TYPE fastmq_produce_durable_seconds histogram\n");
        WriteHistogram(writer, "fastmq_produce_durable_seconds", null, buckets, durableSumNs);
    }

    private static long Accumulate(LatencyHistogram h, long[] buckets)
    {
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] += h.BucketCountAt(i);
        }
        return h.SumNs;
    }

    /// <summary>Exported bounds: two per power of two (2^k and 1.5 × 2^k µs), from 1 µs to ~100 s, plus +Inf.</summary>
    private static bool IsExported(int bucket)
    {
        long bound = LatencyHistogram.UpperBoundMicros[bucket];
        if (bucket == LatencyHistogram.BucketCount - 1)
        {
            return false;
        }
        return bound < 8 ? bound is 1 or 2 or 4 or 6 : (bucket % 2) == 1;
    }

    private static void WriteHistogram(TextWriter w, string name, string? labels, long[] buckets, long sumNs)
    {
        string prefix = labels is null ? "{" : "{" + labels + ",";
        long cumulative = 0;
        for (int i = 0; i < buckets.Length; i++)
        {
            cumulative += buckets[i];
            if (IsExported(i))
            {
                string le = (LatencyHistogram.UpperBoundMicros[i] / 1e6).ToString("0.######", CultureInfo.InvariantCulture);
                w.Write($"{name}_bucket{prefix}le=\"{le}\"}} {cumulative.ToString(CultureInfo.InvariantCulture)}\n");
            }
        }
        string plain = labels is null ? "" : "{" + labels + "}";
        w.Write($"{name}_bucket{prefix}le=\"+Inf\"}} {cumulative.ToString(CultureInfo.InvariantCulture)}\n");
        w.Write($"{name}_sum{plain} {(sumNs / 1e9).ToString("0.#########", CultureInfo.InvariantCulture)}\n");
        w.Write($"{name}_count{plain} {cumulative.ToString(CultureInfo.InvariantCulture)}\n");
    }

    private static string ApiName(int slot) => slot <= ShardMetrics.MaxApiKey ? ((ApiKey)slot).ToString() : "unknown";

    private IEnumerable<Measurement<long>> TopicTotals(Func<PartitionCounters, long> value)
    {
        PartitionRegistry registry = _broker.Partitions;
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        // Every live topic reports, even before its first record, so a dashboard's rate() has a series from the start.
        foreach (Partition[] partitions in registry.All)
        {
            if (partitions.Length > 0)
            {
                totals[partitions[0].TopicName] = 0;
            }
        }
        foreach (Shards.BrokerShard state in _broker.ShardStates)
        {
            foreach (PartitionCounters c in state.Metrics.Partitions)
            {
                // Counters of deleted partitions (or of a deleted topic's predecessor with the same name) are left out.
                Partition p = c.Partition;
                if (registry.TryGetTopic(p.TopicName, out Partition[] live) && p.Index < live.Length && ReferenceEquals(live[p.Index], p))
                {
                    totals[p.TopicName] += value(c);
                }
            }
        }
        var result = new List<Measurement<long>>(totals.Count);
        foreach ((string topic, long total) in totals)
        {
            result.Add(new Measurement<long>(total, new KeyValuePair<string, object?>("topic", topic)));
        }
        return result;
    }

    private IEnumerable<Measurement<long>> RequestCounts()
    {
        var result = new List<Measurement<long>>();
        for (int slot = 0; slot <= ShardMetrics.MaxApiKey + 1; slot++)
        {
            long total = 0;
            foreach (Shards.BrokerShard state in _broker.ShardStates)
            {
                total += state.Metrics.RequestsAt(slot);
            }
            if (total > 0)
            {
                result.Add(new Measurement<long>(total, new KeyValuePair<string, object?>("api", ApiName(slot))));
            }
        }
        return result;
    }

    private IEnumerable<Measurement<long>> PartitionOffsets(Func<Partition, long> value)
    {
        var result = new List<Measurement<long>>();
        foreach (Partition[] partitions in _broker.Partitions.All)
        {
            foreach (Partition p in partitions)
            {
                // Read off the owner shard: a 64-bit field read is atomic on the 64-bit platforms FastMQ runs on; the
                // value may be a moment old, which a gauge tolerates.
                result.Add(new Measurement<long>(value(p),
                    new KeyValuePair<string, object?>("topic", p.TopicName),
                    new KeyValuePair<string, object?>("partition", p.Index.ToString(CultureInfo.InvariantCulture))));
            }
        }
        return result;
    }

    private IEnumerable<Measurement<long>> PerShard(Func<Shard, long> value)
    {
        var result = new List<Measurement<long>>();
        foreach (Shard shard in _broker.Shards.Shards)
        {
            result.Add(new Measurement<long>(value(shard), new KeyValuePair<string, object?>("shard", shard.Id.Value.ToString(CultureInfo.InvariantCulture))));
        }
        return result;
    }

    private IEnumerable<Measurement<long>> GroupLag()
    {
        var result = new List<Measurement<long>>();
        // Null until the coordinator has replayed __consumer_offsets at start-up.
        if (_broker.Groups is not { } groups)
        {
            return result;
        }
        IReadOnlyList<GroupLagSnapshot> snapshot = groups.GetLagSnapshot();
        for (int g = 0; g < snapshot.Count; g++)
        {
            GroupLagSnapshot group = snapshot[g];
            for (int i = 0; i < group.Partitions.Count; i++)
            {
                PartitionLag lag = group.Partitions[i];
                if (lag.Lag < 0)
                {
                    continue; // unknown: partition deleted or its high watermark not published yet
                }
                result.Add(new Measurement<long>(lag.Lag,
                    new KeyValuePair<string, object?>("group", group.GroupId),
                    new KeyValuePair<string, object?>("topic", lag.Topic),
                    new KeyValuePair<string, object?>("partition", lag.Partition.ToString(CultureInfo.InvariantCulture))));
            }
        }
        return result;
    }

    private IEnumerable<Measurement<long>> GroupMembers()
    {
        var result = new List<Measurement<long>>();
        if (_broker.Groups is not { } groups)
        {
            return result;
        }
        IReadOnlyList<GroupLagSnapshot> snapshot = groups.GetLagSnapshot();
        for (int g = 0; g < snapshot.Count; g++)
        {
            result.Add(new Measurement<long>(snapshot[g].MemberCount, new KeyValuePair<string, object?>("group", snapshot[g].GroupId)));
        }
        return result;
    }

    private IEnumerable<Measurement<long>> GroupStates()
    {
        var result = new List<Measurement<long>>();
        if (_broker.Groups is not { } groups)
        {
            return result;
        }
        IReadOnlyList<GroupLagSnapshot> snapshot = groups.GetLagSnapshot();
        for (int g = 0; g < snapshot.Count; g++)
        {
            result.Add(new Measurement<long>(1,
                new KeyValuePair<string, object?>("group", snapshot[g].GroupId),
                new KeyValuePair<string, object?>("state", snapshot[g].State)));
        }
        return result;
    }

    private IEnumerable<Measurement<long>> GroupGenerations()
    {
        var result = new List<Measurement<long>>();
        if (_broker.Groups is not { } groups)
        {
            return result;
        }
        IReadOnlyList<GroupLagSnapshot> snapshot = groups.GetLagSnapshot();
        for (int g = 0; g < snapshot.Count; g++)
        {
            result.Add(new Measurement<long>(snapshot[g].Generation, new KeyValuePair<string, object?>("group", snapshot[g].GroupId)));
        }
        return result;
    }

    private IEnumerable<Measurement<long>> StallCounts()
    {
        var result = new List<Measurement<long>>();
        for (int i = 0; i < _broker.Shards.Count; i++)
        {
            result.Add(new Measurement<long>(_stalls!.StallsOf(i), new KeyValuePair<string, object?>("shard", i.ToString(CultureInfo.InvariantCulture))));
        }
        return result;
    }
}
