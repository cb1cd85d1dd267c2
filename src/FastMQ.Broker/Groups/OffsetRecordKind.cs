namespace FastMQ.Broker.Groups;

/// <summary>What a __consumer_offsets record holds, from its key version (see <see cref="OffsetRecordCodec"/>).</summary>
internal enum OffsetRecordKind
{
    /// <summary>Key version 1: a committed offset of (group, topic, partition).</summary>
    OffsetCommit = 1,
    /// <summary>Key version 2: a group's membership (generation, leader, protocol, members).</summary>
    GroupMetadata = 2,
}
