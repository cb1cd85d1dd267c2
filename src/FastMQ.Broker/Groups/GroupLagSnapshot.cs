using System.Collections.Generic;

namespace FastMQ.Broker.Groups;

/// <summary>
/// An immutable view of one consumer group for metrics: state, generation, member count and per-partition lag. Built on
/// the group's shard about once a second and read from any thread through <c>GroupCoordinator.GetLagSnapshot()</c>
/// (contract: /work/notes/groups-lag-api.md).
/// </summary>
public sealed class GroupLagSnapshot
{
    public GroupLagSnapshot(string groupId, string state, int generation, int memberCount, long takenAtUnixMs, PartitionLag[] partitions)
    {
        GroupId = groupId;
        State = state;
        Generation = generation;
        MemberCount = memberCount;
        TakenAtUnixMs = takenAtUnixMs;
        Partitions = partitions;
    }

    public string GroupId { get; }

    /// <summary>Kafka's state name: Empty, PreparingRebalance, CompletingRebalance, Stable (Dead groups are not listed).</summary>
    public string State { get; }

    public int Generation { get; }

    public int MemberCount { get; }

    /// <summary>Wall clock (Unix ms) when the group's shard built this snapshot.</summary>
    public long TakenAtUnixMs { get; }

    /// <summary>Every committed (topic, partition) of the group; an array underneath, so index it to avoid an enumerator.</summary>
    public IReadOnlyList<PartitionLag> Partitions { get; }
}
