using System;
using System.Buffers.Binary;

namespace FastMQ.PerfHarness.Workload;

/// <summary>
/// The key → partition placement of the Java client and of librdkafka's murmur2 partitioners: murmur2 (seed
/// 0x9747b28c) of the key bytes, sign bit cleared, modulo the partition count. The harness picks each message's
/// partition itself so it can match delivery reports to send times per partition, in order.
/// </summary>
internal static class Murmur2
{
    public static int Partition(ReadOnlySpan<byte> key, int partitions) => (int)((uint)Hash(key) & 0x7fffffff) % partitions;

    public static int Hash(ReadOnlySpan<byte> data)
    {
        const uint M = 0x5bd1e995;
        const int R = 24;
        uint h = 0x9747b28c ^ (uint)data.Length;
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            uint k = BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            k *= M;
            k ^= k >> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        int rest = data.Length - i;
        if (rest == 3)
        {
            h ^= (uint)data[i + 2] << 16;
        }
        if (rest >= 2)
        {
            h ^= (uint)data[i + 1] << 8;
        }
        if (rest >= 1)
        {
            h ^= data[i];
            h *= M;
        }
        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return (int)h;
    }
}
