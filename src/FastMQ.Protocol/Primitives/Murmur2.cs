using System;
using System.Buffers.Binary;

namespace FastMQ.Protocol.Primitives;

/// <summary>
/// Kafka's default placement of keyed records: the 32-bit MurmurHash2 of the key bytes with seed 0x9747b28c, the sign
/// bit cleared, modulo the partition count. The Java client and librdkafka's murmur2 partitioners compute the same, so
/// a key lands on the partition other Kafka tools pick for it.
/// </summary>
/// <remarks>Pure functions over a span: they allocate nothing and are safe to call from any thread.</remarks>
public static class Murmur2
{
    private const uint Seed = 0x9747b28c;
    private const uint M = 0x5bd1e995;
    private const int R = 24;

    /// <summary>
    /// MurmurHash2 of <paramref name="data"/> as the Java client's <c>Utils.murmur2</c> returns it: 4-byte blocks read
    /// little-endian, the 1 to 3 trailing bytes mixed in last. The result may be negative.
    /// </summary>
    public static int Hash(ReadOnlySpan<byte> data)
    {
        uint h = Seed ^ (uint)data.Length;
        int blocks = data.Length / 4;
        for (int i = 0; i < blocks; i++)
        {
            uint k = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            k *= M;
            k ^= k >> R;
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

    /// <summary>
    /// <paramref name="hash"/> with the sign bit cleared, as Kafka's <c>Utils.toPositive</c>: not the absolute value,
    /// so <see cref="int.MinValue"/> maps to 0 and every result is in [0, <see cref="int.MaxValue"/>].
    /// </summary>
    public static int ToPositive(int hash) => hash & 0x7fffffff;

    /// <summary>
    /// The partition Kafka's default partitioner gives a record with key <paramref name="key"/>:
    /// <c>toPositive(murmur2(key)) % partitionCount</c>, in [0, <paramref name="partitionCount"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partitionCount"/> is zero or negative.</exception>
    public static int Partition(ReadOnlySpan<byte> key, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitionCount);
        return ToPositive(Hash(key)) % partitionCount;
    }
}
