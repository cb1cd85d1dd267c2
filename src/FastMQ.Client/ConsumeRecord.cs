using System;
using FastMQ.Protocol.Records;

namespace FastMQ.Client;

/// <summary>
/// One record returned by <see cref="Consumer.Consume(TimeSpan, out ConsumeRecord)"/>: a view over the pooled fetch
/// response (or the consumer's decompression buffer), valid until the next call on the consumer. Copy what must
/// outlive it. Creating it allocates nothing.
/// </summary>
public readonly ref struct ConsumeRecord
{
    private readonly Record _record;

    internal ConsumeRecord(string topic, int partition, long offset, long timestampMs, bool isLogAppendTime, Record record)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        TimestampMs = timestampMs;
        IsLogAppendTime = isLogAppendTime;
        _record = record;
    }

    /// <summary>The topic (the consumer's own string instance: not allocated per record).</summary>
    public string Topic { get; }

    /// <summary>The partition index.</summary>
    public int Partition { get; }

    /// <summary>The record's offset in its partition.</summary>
    public long Offset { get; }

    /// <summary>The record's timestamp, milliseconds since the Unix epoch.</summary>
    public long TimestampMs { get; }

    /// <summary>True when <see cref="TimestampMs"/> is the broker's append time, false when the producer set it.</summary>
    public bool IsLogAppendTime { get; }

    /// <summary>The key bytes; empty when <see cref="IsKeyNull"/>.</summary>
    public ReadOnlySpan<byte> Key => _record.Key;

    /// <summary>True when the record has no key (null, as opposed to empty).</summary>
    public bool IsKeyNull => _record.IsKeyNull;

    /// <summary>The value bytes; empty when <see cref="IsValueNull"/>.</summary>
    public ReadOnlySpan<byte> Value => _record.Value;

    /// <summary>True for a tombstone (null value).</summary>
    public bool IsValueNull => _record.IsValueNull;

    /// <summary>Number of headers.</summary>
    public int HeaderCount => _record.HeaderCount;

    /// <summary>The headers in order, as spans; use with <c>foreach</c>. Allocates nothing.</summary>
    public RecordHeaderEnumerator Headers => _record.Headers;

    /// <summary>The record's partition and offset; the offset to commit after processing it is <c>Offset + 1</c>.</summary>
    public TopicPartitionOffset TopicPartitionOffset => new(Topic, Partition, Offset);

    /// <summary>
    /// The value of the first header named <paramref name="key"/> (UTF-8 bytes), or false when there is none.
    /// </summary>
    public bool TryGetHeader(scoped ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        foreach (RecordHeader h in _record.Headers)
        {
            if (h.Key.SequenceEqual(key))
            {
                value = h.Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}
