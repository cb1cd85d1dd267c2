namespace FastMQ.IntegrationTests.Support;

/// <summary>
/// The Java client's default partitioner for keyed records: murmur2 (seed 0x9747b28c) of the key bytes, made positive,
/// modulo the partition count. Written from the algorithm's description so tests can check placement independently.
/// </summary>
public static class JavaMurmur2
{
    public static int Hash(byte[] data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        int length = data.Length;
        uint h = 0x9747b28c ^ (uint)length;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++)
        {
            int o = i * 4;
            uint k = (uint)(data[o] | (data[o + 1] << 8) | (data[o + 2] << 16) | (data[o + 3] << 24));
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = blocks * 4;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= m;
                break;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }

    public static int Partition(byte[] key, int partitions) => (Hash(key) & 0x7fffffff) % partitions;
}
