using System;
using System.Globalization;
using System.Text;
using FastMQ.Protocol.Primitives;

namespace FastMQ.PerfHarness.Workload;

/// <summary>
/// Pre-built values and keys for one producer thread, so the send loop allocates nothing: values of every size in the
/// distribution's table (one array per table entry; Confluent.Kafka sends whole arrays), and <c>--keys N</c> distinct
/// keys (<c>key-000000042</c>; 0 = null keys). Each message's partition is chosen here: the key's murmur2 placement
/// (as the Java client does), or round-robin for null keys.
/// </summary>
internal sealed class MessageSource
{
    /// <summary>Entries in the size table: enough that the sequence of sizes does not visibly repeat in a plot.</summary>
    public const int TableSize = 4096;
    private readonly byte[][] _values;
    private readonly byte[][]? _keys;
    private readonly int[]? _keyPartitions;
    private readonly int _partitions;
    private readonly Random _random;
    private long _next;

    public MessageSource(SizeDistribution sizes, int keys, int partitions, int seed)
    {
        _partitions = partitions;
        _random = new Random(seed);
        int[] table = sizes.IsFixed ? [(int)sizes.A] : sizes.Table(TableSize, seed);
        _values = new byte[table.Length][];
        byte[] text = Payload.Create(table.Length == 1 ? table[0] : sizes.MaxDrawBytes, seed);
        for (int i = 0; i < table.Length; i++)
        {
            _values[i] = text.AsSpan(0, table[i]).ToArray();
        }
        if (keys > 0)
        {
            _keys = new byte[keys][];
            _keyPartitions = new int[keys];
            for (int i = 0; i < keys; i++)
            {
                _keys[i] = Encoding.ASCII.GetBytes("key-" + i.ToString("D9", CultureInfo.InvariantCulture));
                _keyPartitions[i] = Murmur2.Partition(_keys[i], partitions);
            }
        }
        // Producers start at different partitions so N producers with null keys do not all hit partition 0 together.
        _next = seed;
    }

    /// <summary>The next message: its value (shared array: write only the stamp into it), key (null for none) and partition.</summary>
    public byte[] Next(out byte[]? key, out int partition)
    {
        long n = _next++;
        byte[] value = _values[(int)(n % _values.Length)];
        if (_keys is null)
        {
            key = null;
            partition = (int)(n % _partitions);
        }
        else
        {
            int k = _random.Next(_keys.Length);
            key = _keys[k];
            partition = _keyPartitions![k];
        }
        return value;
    }
}
