using System;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Internal;

/// <summary>
/// Kafka's default choice of partition for a keyed record (<see cref="Murmur2.Partition"/>). Using the same function as
/// the Java client keeps keys on the partitions other Kafka tools pick.
/// </summary>
internal static class KeyPartitioner
{
    public static int PartitionFor(ReadOnlySpan<byte> key, int partitionCount) => Murmur2.Partition(key, partitionCount);
}
