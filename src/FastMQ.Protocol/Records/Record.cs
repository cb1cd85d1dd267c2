using System;

namespace FastMQ.Protocol.Records;

/// <summary>
/// One record of a RecordBatch v2: a view over the batch bytes (or over the decompressor's buffer for compressed
/// batches). Valid as long as that memory is; copy what must outlive it.
/// </summary>
/// <remarks>
/// Produced by <see cref="RecordReader"/>, which has already checked every length against the record's bounds.
/// Absolute values: offset = batch baseOffset + <see cref="OffsetDelta"/>; timestamp = baseTimestamp +
/// <see cref="TimestampDelta"/> (or the batch maxTimestamp for LogAppendTime batches).
/// </remarks>
public readonly ref struct Record
{
    private readonly ReadOnlySpan<byte> _headers;

    internal Record(
        byte attributes,
        long timestampDelta,
        int offsetDelta,
        ReadOnlySpan<byte> key,
        bool isKeyNull,
        ReadOnlySpan<byte> value,
        bool isValueNull,
        int headerCount,
        ReadOnlySpan<byte> headers,
        int sizeInBytes)
    {
        Attributes = attributes;
        TimestampDelta = timestampDelta;
        OffsetDelta = offsetDelta;
        Key = key;
        IsKeyNull = isKeyNull;
        Value = value;
        IsValueNull = isValueNull;
        HeaderCount = headerCount;
        _headers = headers;
        SizeInBytes = sizeInBytes;
    }

    /// <summary>Record attributes; unused by Kafka (always 0 on the wire so far).</summary>
    public byte Attributes { get; }

    public long TimestampDelta { get; }

    public int OffsetDelta { get; }

    /// <summary>The key; empty when <see cref="IsKeyNull"/>.</summary>
    public ReadOnlySpan<byte> Key { get; }

    public bool IsKeyNull { get; }

    /// <summary>The value; empty when <see cref="IsValueNull"/> (a tombstone).</summary>
    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }

    public int HeaderCount { get; }

    /// <summary>Encoded size of the record in the records area, its length prefix included.</summary>
    public int SizeInBytes { get; }

    /// <summary>The headers, in order; usable with <c>foreach</c>.</summary>
    public RecordHeaderEnumerator Headers => new(_headers, HeaderCount);
}
