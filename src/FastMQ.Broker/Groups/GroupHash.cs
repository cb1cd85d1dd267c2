using System;

namespace FastMQ.Broker.Groups;

/// <summary>
/// Maps a group id to its __consumer_offsets partition. The hash must not change between runs (records of one group
/// must keep landing in one partition so replay sees them in commit order), so it is Java's String.hashCode, as Kafka
/// uses, rather than the per-process randomised <see cref="string.GetHashCode()"/>.
/// </summary>
internal static class GroupHash
{
    public static int PartitionFor(string groupId, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitionCount);
        int h = 0;
        foreach (char c in groupId)
        {
            h = unchecked((31 * h) + c);
        }
        // Kafka's Utils.abs: masks the sign bit (Math.Abs would overflow on int.MinValue).
        return (h & 0x7fffffff) % partitionCount;
    }
}
