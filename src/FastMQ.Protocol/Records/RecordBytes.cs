using System;

namespace FastMQ.Protocol.Records;

/// <summary>
/// A key, value or header value handed to <see cref="RecordBatchBuilder"/>: a span that may also be null, because
/// Kafka tells a null key or value (length -1, e.g. a tombstone) from an empty one (length 0).
/// </summary>
/// <remarks>
/// <c>default</c> and <see cref="Null"/> are null. A <see cref="ReadOnlySpan{T}"/> converts to a non-null value
/// (empty stays empty); a <c>byte[]</c> converts to null when the array is null.
/// </remarks>
public readonly ref struct RecordBytes
{
    private readonly bool _present;

    public RecordBytes(ReadOnlySpan<byte> span)
    {
        Span = span;
        _present = true;
    }

    public static RecordBytes Null => default;

    public bool IsNull => !_present;

    /// <summary>The bytes; empty when null.</summary>
    public ReadOnlySpan<byte> Span { get; }

    /// <summary>The length as Kafka writes it: -1 for null.</summary>
    public int WireLength => _present ? Span.Length : -1;

    public static implicit operator RecordBytes(ReadOnlySpan<byte> span) => new(span);

    public static implicit operator RecordBytes(Span<byte> span) => new(span);

    public static implicit operator RecordBytes(byte[]? array) => array is null ? default : new(array);
}
