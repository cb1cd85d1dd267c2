using System;
using System.Buffers.Binary;

namespace FastMQ.Client.Internal;

/// <summary>
/// Kafka's default choice of partition for a keyed record: murmur2 of the key bytes, made non-negative, modulo the
/// partition count. Using the same function as the Java client keeps keys on the partitions other Kafka tools pick.
/// </summary>
internal static class KeyPartitioner
{
    private const uint Seed = 0x9747b28c;
    private const uint M = 0x5bd1e995;

    public static int PartitionFor(ReadOnlySpan<byte> key, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitionCount);
        return (int)((uint)(Murmur2(key) & 0x7fffffff) % (uint)partitionCount);
    }

    /// <summary>32-bit MurmurHash2 with Kafka's seed, over little-endian 4-byte blocks.</summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        uint h = Seed ^ (uint)data.Length;
        int blocks = data.Length / 4;
        for (int i = 0; i < blocks; i++)
        {
            uint k = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            k *= M;
            k ^= k >> 24;
            k *= M;
            h *= M;
            h ^= k;
        }
        ReadOnlySpan<byte> tail = data[(blocks * 4)..];
        switch (tail.Length)
        {
            case 3:
                h ^= (uint)tail[2] << 16;
                h ^= (uint)tail[1] << 8;
                h ^= tail[0];
                h *= M;
                break;
            case 2:
                h ^= (uint)tail[1] << 8;
                h ^= tail[0];
                h *= M;
                break;
            case 1:
                h ^= tail[0];
                h *= M;
                break;
        }
        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return (int)h;
    }
}
