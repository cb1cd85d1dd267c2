using System;

namespace FastMQ.Protocol.Records;

/// <summary>One record header as read from a batch: a view over the batch or decompression buffer.</summary>
public readonly ref struct RecordHeader
{
    internal RecordHeader(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool isValueNull)
    {
        Key = key;
        Value = value;
        IsValueNull = isValueNull;
    }

    /// <summary>The header key (UTF-8 by convention; Kafka does not allow a null key).</summary>
    public ReadOnlySpan<byte> Key { get; }

    /// <summary>The header value; empty when <see cref="IsValueNull"/>.</summary>
    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }
}
