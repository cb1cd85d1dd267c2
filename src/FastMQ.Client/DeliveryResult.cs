namespace FastMQ.Client;

/// <summary>Where <see cref="Producer.ProduceAsync"/> placed a record.</summary>
public readonly record struct DeliveryResult
{
    internal DeliveryResult(string topic, int partition, long offset, long timestampMs)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        TimestampMs = timestampMs;
    }

    /// <summary>The topic.</summary>
    public string Topic { get; }

    /// <summary>The partition.</summary>
    public int Partition { get; }

    /// <summary>The record's offset; -1 with acks=0 or for a duplicate the broker had already stored.</summary>
    public long Offset { get; }

    /// <summary>The record's CreateTime (Unix ms).</summary>
    public long TimestampMs { get; }
}
