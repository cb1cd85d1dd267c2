namespace FastMQ.Client;

/// <summary>A partition and an offset in it: a committed offset (the next offset to read) or a position.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partition">The partition index (0-based).</param>
/// <param name="Offset">The offset; -1 when none is known (for example, nothing committed yet).</param>
public readonly record struct TopicPartitionOffset(string Topic, int Partition, long Offset)
{
    /// <summary>The topic and partition without the offset.</summary>
    public TopicPartition TopicPartition => new(Topic, Partition);

    /// <summary><c>topic[partition]@offset</c>.</summary>
    public override string ToString() => $"{Topic}[{Partition}]@{Offset}";
}
