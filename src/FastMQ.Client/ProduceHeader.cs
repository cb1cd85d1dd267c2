using System;

namespace FastMQ.Client;

/// <summary>
/// One record header for <c>Producer.Produce</c>:
/// a string key and a byte value (null allowed). Pass a span of them (e.g. a reused array) to produce without allocating.
/// </summary>
/// <remarks>The key is encoded to UTF-8 into the batch on each call; no copy of the value is kept after the call returns.</remarks>
public readonly struct ProduceHeader
{
    /// <summary>A header with a non-null value.</summary>
    public ProduceHeader(string key, ReadOnlyMemory<byte> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Value = value;
        IsValueNull = false;
    }

    private ProduceHeader(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Value = default;
        IsValueNull = true;
    }

    /// <summary>A header whose value is null (Kafka distinguishes null from empty).</summary>
    public static ProduceHeader WithNullValue(string key) => new(key);

    /// <summary>The header key.</summary>
    public string Key { get; }

    /// <summary>The header value; empty when <see cref="IsValueNull"/>.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>True when the value is null rather than empty.</summary>
    public bool IsValueNull { get; }
}
