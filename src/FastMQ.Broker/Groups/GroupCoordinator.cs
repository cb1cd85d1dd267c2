using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Broker.Controller;
using FastMQ.Broker.Partitions;
using FastMQ.Broker.Shards;
using FastMQ.Core;
using FastMQ.Protocol.Messages;
using FastMQ.Runtime;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker.Groups;

/// <summary>
/// The consumer-group coordinator of this node: every group id maps to one partition of the internal
/// <c>__consumer_offsets</c> topic (Java string hash, like Kafka), and the group lives on the shard that owns that
/// partition, so its state machine and its offset writes share one thread with no cross-shard hop.
/// </summary>
/// <remarks>
/// Lifecycle: <see cref="StartAsync"/> (after the topic controller loaded the topics, before the listener opens)
/// creates __consumer_offsets if needed, replays each partition on its owner into the groups' offset caches and starts
/// the per-shard ticks; <see cref="StopAsync"/> stops them before the logs are closed. The object itself is immutable
/// after start; all mutable state is in the per-shard <see cref="GroupShard"/>s.
/// </remarks>
internal sealed class GroupCoordinator
{
    public const string OffsetsTopic = "__consumer_offsets";

    private readonly BrokerContext _broker;
    private readonly GroupShard[] _shards;
    private readonly OffsetsLog[] _logs;
    private LagUnion? _lagUnion;

    private GroupCoordinator(BrokerContext broker, GroupSettings settings, GroupShard[] shards, OffsetsLog[] logs)
    {
        _broker = broker;
        Settings = settings;
        _shards = shards;
        _logs = logs;
    }

    public GroupSettings Settings { get; }

    public long WallNowMs => _broker.ShardStates[0].Io.Clock.UnixTimeMs;

    public IReadOnlyList<GroupShard> Shards => _shards;

    /// <summary>The current partition registry (immutable snapshot; any thread).</summary>
    public PartitionRegistry Partitions => _broker.Partitions;

    /// <summary>
    /// Any thread, lock-free: every group's lag snapshot, the union of what each group shard published last (about once
    /// a second). Allocates only when some shard published a new snapshot since the previous call; the list is shared
    /// and immutable. Contract: /work/notes/groups-lag-api.md.
    /// </summary>
    public IReadOnlyList<GroupLagSnapshot> GetLagSnapshot()
    {
        LagUnion? cached = Volatile.Read(ref _lagUnion);
        if (cached is not null)
        {
            bool same = true;
            for (int i = 0; i < _shards.Length && same; i++)
            {
                same = ReferenceEquals(cached.Sources[i], _shards[i].LagSnapshot);
            }
            if (same)
            {
                return cached.All;
            }
        }
        var sources = new GroupLagSnapshot[_shards.Length][];
        int total = 0;
        for (int i = 0; i < _shards.Length; i++)
        {
            sources[i] = _shards[i].LagSnapshot;
            total += sources[i].Length;
        }
        var all = new GroupLagSnapshot[total];
        int n = 0;
        foreach (GroupLagSnapshot[] s in sources)
        {
            s.CopyTo(all, n);
            n += s.Length;
        }
        var union = new LagUnion(sources, Array.AsReadOnly(all));
        // Racing readers may each build a union; any of them is correct, the last write wins.
        Volatile.Write(ref _lagUnion, union);
        return union.All;
    }

    public static async Task<GroupCoordinator> StartAsync(BrokerContext broker)
    {
        var settings = GroupSettings.From(broker.Options);
        ILogger logger = broker.LoggerFactory.CreateLogger("FastMQ.Groups");
        if (!broker.Partitions.TryGetTopic(OffsetsTopic, out Partition[] partitions))
        {
            TopicController.Outcome created = await broker.Controller.CreateTopicAsync(OffsetsTopic, settings.OffsetsTopicPartitions,
            [
                new("retention.ms", "-1"),
                new("retention.bytes", "-1"),
                new("segment.bytes", settings.OffsetsTopicSegmentBytes.ToString(CultureInfo.InvariantCulture)),
            ], validateOnly: false).ConfigureAwait(false);
            if (created.Error is not (ErrorCode.None or ErrorCode.TopicAlreadyExists) || !broker.Partitions.TryGetTopic(OffsetsTopic, out partitions))
            {
                throw new InvalidOperationException($"cannot create {OffsetsTopic}: {created.Error} {created.Message}");
            }
        }
        var shards = new GroupShard[broker.Shards.Count];
        var logs = new OffsetsLog[partitions.Length];
        for (int i = 0; i < logs.Length; i++)
        {
            logs[i] = new OffsetsLog(broker, partitions[i]);
        }
        var coordinator = new GroupCoordinator(broker, settings, shards, logs);
        for (int i = 0; i < shards.Length; i++)
        {
            shards[i] = new GroupShard(coordinator, broker.Shards[i], logger);
        }
        var loads = new List<Task<long>>();
        foreach (OffsetsLog log in logs)
        {
            GroupShard owner = shards[log.Partition.Owner.Value];
            loads.Add(ShardCall<long>.Run(broker.Shards, log.Partition.Owner, _ => owner.Load(log)));
        }
        long[] counts = await Task.WhenAll(loads).ConfigureAwait(false);
        long records = 0;
        foreach (long c in counts)
        {
            records += c;
        }
        var ticks = new List<Task<bool>>();
        foreach (GroupShard s in shards)
        {
            ticks.Add(ShardCall<bool>.Run(broker.Shards, s.Shard.Id, _ =>
            {
                s.StartTicking();
                return true;
            }));
        }
        await Task.WhenAll(ticks).ConfigureAwait(false);
        int groups = 0;
        foreach (GroupShard s in shards)
        {
            groups += s.GroupCount;
        }
        logger.LogInformation("Group coordinator ready: {Partitions} {Topic} partition(s), {Records} record(s) replayed, {Groups} group(s) with offsets",
            logs.Length, OffsetsTopic, records, groups);
        return coordinator;
    }

    public async Task StopAsync()
    {
        var stops = new List<Task<bool>>();
        foreach (GroupShard s in _shards)
        {
            stops.Add(ShardCall<bool>.Run(_broker.Shards, s.Shard.Id, _ =>
            {
                s.Stop();
                return true;
            }));
        }
        await Task.WhenAll(stops).ConfigureAwait(false);
        foreach (OffsetsLog log in _logs)
        {
            log.Dispose();
        }
    }

    public OffsetsLog LogFor(string groupId) => _logs[GroupHash.PartitionFor(groupId, _logs.Length)];

    /// <summary>The shard a group lives on: the owner of its __consumer_offsets partition.</summary>
    public ShardId ShardFor(string groupId) => LogFor(groupId).Partition.Owner;

    public GroupShard ShardState(ShardId id) => _shards[id.Value];

    /// <summary>Runs <paramref name="action"/> on the group's shard (from the request's shard).</summary>
    public void RunOnGroupShard(Shard current, string groupId, Action<GroupShard> action)
    {
        ShardId target = ShardFor(groupId);
        ShardAction.Run(current, target, s => action(_shards[s.Id.Value]));
    }

    /// <summary>From any thread: runs <paramref name="func"/> on the group's shard and returns its result.</summary>
    public Task<T> CallOnGroupShard<T>(string groupId, Func<GroupShard, T> func)
    {
        ShardId target = ShardFor(groupId);
        return ShardCall<T>.Run(_broker.Shards, target, s => func(_shards[s.Id.Value]));
    }

    /// <summary>From any thread: runs <paramref name="func"/> on every shard and gathers the results.</summary>
    public Task<T[]> CallOnEveryShard<T>(Func<GroupShard, T> func)
    {
        var calls = new Task<T>[_shards.Length];
        for (int i = 0; i < _shards.Length; i++)
        {
            GroupShard s = _shards[i];
            calls[i] = ShardCall<T>.Run(_broker.Shards, s.Shard.Id, _ => func(s));
        }
        return Task.WhenAll(calls);
    }

    /// <summary>A cached union of the shards' lag snapshots and the arrays it was built from.</summary>
    private sealed class LagUnion(GroupLagSnapshot[][] sources, IReadOnlyList<GroupLagSnapshot> all)
    {
        public GroupLagSnapshot[][] Sources { get; } = sources;

        public IReadOnlyList<GroupLagSnapshot> All { get; } = all;
    }
}
