using System.Threading;
using FastMQ.Broker.Partitions;

namespace FastMQ.Broker.Metrics;

/// <summary>
/// Traffic of one partition as counted by one shard: bytes and records appended (on the owner shard) and returned to
/// fetches (on the request's shard). Single writer (that shard); readers use the volatile getters.
/// </summary>
public sealed class PartitionCounters
{
    private long _bytesIn;
    private long _recordsIn;
    private long _bytesOut;
    private long _recordsOut;

    internal PartitionCounters(Partition partition) => Partition = partition;

    internal Partition Partition { get; }

    public string Topic => Partition.TopicName;

    public long BytesIn => Volatile.Read(ref _bytesIn);

    public long RecordsIn => Volatile.Read(ref _recordsIn);

    public long BytesOut => Volatile.Read(ref _bytesOut);

    public long RecordsOut => Volatile.Read(ref _recordsOut);

    /// <summary>Counts one appended batch. Writing shard only; release stores so scrapes read whole values.</summary>
    internal void CountIn(long bytes, long records)
    {
        Volatile.Write(ref _bytesIn, _bytesIn + bytes);
        Volatile.Write(ref _recordsIn, _recordsIn + records);
    }

    /// <summary>Counts bytes (and records, when known) returned to one fetch. Writing shard only.</summary>
    internal void CountOut(long bytes, long records)
    {
        Volatile.Write(ref _bytesOut, _bytesOut + bytes);
        Volatile.Write(ref _recordsOut, _recordsOut + records);
    }
}
