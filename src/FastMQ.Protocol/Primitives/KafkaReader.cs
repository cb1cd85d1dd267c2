using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace FastMQ.Protocol.Primitives;

/// <summary>
/// A forward-only reader of Kafka protocol primitives over one fully received message (header or body).
/// </summary>
/// <remarks>
/// <para>Every read checks bounds against the span it was given and throws <see cref="KafkaProtocolException"/>
/// with the offset of the bad item; nothing else escapes on malformed input. Methods taking <c>flexible</c> read the
/// compact form (UNSIGNED_VARINT N+1, 0 = null) when it is true and the classic form (INT16 length for strings,
/// INT32 for bytes and arrays, -1 = null) when it is false, so one codec serves every version of a message.</para>
/// <para>Span-returning reads are slices of the input (no copy, no allocation); only the <c>string</c> overloads
/// allocate. Array counts are checked against the remaining bytes before they are returned, so a forged count of
/// 2^31 fails here instead of sizing a collection.</para>
/// </remarks>
public ref struct KafkaReader
{
    /// <summary>Kafka caps STRING lengths at 32767 bytes in both encodings.</summary>
    public const int MaxStringLength = short.MaxValue;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public KafkaReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Bytes consumed so far, counted from the start of the span given to the constructor.</summary>
    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly int Length => _buffer.Length;

    public readonly bool IsAtEnd => _position == _buffer.Length;

    /// <summary>The span the reader was created over.</summary>
    public readonly ReadOnlySpan<byte> Buffer => _buffer;

    /// <summary>Moves to an absolute position (used to re-walk a pre-validated structure).</summary>
    public void Seek(int position)
    {
        if ((uint)position > (uint)_buffer.Length)
        {
            KafkaThrow.Truncated("seek target", position, 0, Remaining);
        }
        _position = position;
    }

    public sbyte ReadInt8() => (sbyte)Take(1, "int8")[0];

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2, "int16"));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2, "uint16"));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4, "int32"));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4, "uint32"));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8, "int64"));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8, "float64"));

    /// <summary>BOOLEAN: 0 is false, any other value true (as Kafka reads it).</summary>
    public bool ReadBoolean() => Take(1, "boolean")[0] != 0;

    /// <summary>UUID: 16 bytes, most significant half first, read as a big-endian <see cref="Guid"/>.</summary>
    public Guid ReadUuid() => new(Take(16, "uuid"), bigEndian: true);

    public uint ReadUnsignedVarint()
    {
        if (!Varint.TryReadUnsigned(_buffer[_position..], out uint value, out int bytesRead))
        {
            if (bytesRead < 0)
            {
                KafkaThrow.MalformedVarint(_position);
            }
            KafkaThrow.Truncated("unsigned varint", _position, Remaining + 1, Remaining);
        }
        _position += bytesRead;
        return value;
    }

    public int ReadVarint()
    {
        if (!Varint.TryReadSigned(_buffer[_position..], out int value, out int bytesRead))
        {
            if (bytesRead < 0)
            {
                KafkaThrow.MalformedVarint(_position);
            }
            KafkaThrow.Truncated("varint", _position, Remaining + 1, Remaining);
        }
        _position += bytesRead;
        return value;
    }

    public long ReadVarlong()
    {
        if (!Varint.TryReadSigned64(_buffer[_position..], out long value, out int bytesRead))
        {
            if (bytesRead < 0)
            {
                KafkaThrow.Invalid($"Malformed varlong at offset {_position}: longer than 10 bytes.");
            }
            KafkaThrow.Truncated("varlong", _position, Remaining + 1, Remaining);
        }
        _position += bytesRead;
        return value;
    }

    /// <summary>Reads <paramref name="count"/> raw bytes as a slice of the input.</summary>
    public ReadOnlySpan<byte> ReadRaw(int count) => Take(count, "raw bytes");

    public void Skip(int count) => Take(count, "skipped bytes");

    // ---- strings ----

    /// <summary>STRING / COMPACT_STRING as a UTF-8 slice; null is rejected.</summary>
    public ReadOnlySpan<byte> ReadStringSpan(bool flexible)
    {
        int start = _position;
        int length = ReadStringLength(flexible);
        if (length < 0)
        {
            KafkaThrow.UnexpectedNull("string", start);
        }
        return Take(length, "string bytes");
    }

    /// <summary>NULLABLE_STRING / COMPACT_NULLABLE_STRING as a UTF-8 slice; <paramref name="isNull"/> reports null.</summary>
    public ReadOnlySpan<byte> ReadNullableStringSpan(bool flexible, out bool isNull)
    {
        int length = ReadStringLength(flexible);
        isNull = length < 0;
        return isNull ? default : Take(length, "string bytes");
    }

    /// <summary>STRING / COMPACT_STRING decoded to a <see cref="string"/> (allocates; admin paths only).</summary>
    public string ReadString(bool flexible) => Encoding.UTF8.GetString(ReadStringSpan(flexible));

    public string? ReadNullableString(bool flexible)
    {
        ReadOnlySpan<byte> bytes = ReadNullableStringSpan(flexible, out bool isNull);
        return isNull ? null : Encoding.UTF8.GetString(bytes);
    }

    // ---- bytes ----

    /// <summary>BYTES / COMPACT_BYTES as a slice of the input; null is rejected.</summary>
    public ReadOnlySpan<byte> ReadBytes(bool flexible)
    {
        int start = _position;
        int length = ReadBytesLength(flexible);
        if (length < 0)
        {
            KafkaThrow.UnexpectedNull("bytes", start);
        }
        return Take(length, "bytes payload");
    }

    /// <summary>NULLABLE_BYTES / COMPACT_NULLABLE_BYTES (also RECORDS) as a slice of the input.</summary>
    public ReadOnlySpan<byte> ReadNullableBytes(bool flexible, out bool isNull)
    {
        int length = ReadBytesLength(flexible);
        isNull = length < 0;
        return isNull ? default : Take(length, "bytes payload");
    }

    // ---- arrays ----

    /// <summary>
    /// ARRAY / COMPACT_ARRAY element count; null is rejected. <paramref name="minElementSize"/> is the fewest bytes one
    /// element can take in this version; a count the remaining bytes cannot hold is rejected before it is returned.
    /// </summary>
    public int ReadArrayCount(bool flexible, int minElementSize)
    {
        int start = _position;
        int count = ReadNullableArrayCount(flexible, minElementSize);
        if (count < 0)
        {
            KafkaThrow.UnexpectedNull("array", start);
        }
        return count;
    }

    /// <summary>As <see cref="ReadArrayCount"/> but returns -1 for a null array.</summary>
    public int ReadNullableArrayCount(bool flexible, int minElementSize)
    {
        int start = _position;
        long count;
        if (flexible)
        {
            count = (long)ReadUnsignedVarint() - 1;
        }
        else
        {
            count = ReadInt32();
            if (count < -1)
            {
                KafkaThrow.InvalidLength("array", count, start);
            }
        }
        if (count > 0 && count * Math.Max(minElementSize, 1) > Remaining)
        {
            KafkaThrow.ArrayTooLarge(count, start, Remaining, Math.Max(minElementSize, 1));
        }
        return (int)count;
    }

    // ---- tagged fields (flexible versions) ----

    /// <summary>Skips a whole tagged-field section (count, then tag/size/data per field).</summary>
    public void SkipTaggedFields()
    {
        int count = ReadTaggedFieldCount();
        for (int i = 0; i < count; i++)
        {
            _ = ReadTaggedField(out _);
        }
    }

    /// <summary>Reads the field count that opens a tagged-field section.</summary>
    public int ReadTaggedFieldCount()
    {
        int start = _position;
        uint count = ReadUnsignedVarint();
        // Each field takes at least two bytes (tag and size varints).
        if (count > (uint)Remaining / 2)
        {
            KafkaThrow.ArrayTooLarge(count, start, Remaining, 2);
        }
        return (int)count;
    }

    /// <summary>Reads one tagged field: its tag and its data as a slice (callers skip tags they do not know).</summary>
    public ReadOnlySpan<byte> ReadTaggedField(out uint tag)
    {
        tag = ReadUnsignedVarint();
        int start = _position;
        uint size = ReadUnsignedVarint();
        if (size > int.MaxValue)
        {
            KafkaThrow.InvalidLength("tagged field", size, start);
        }
        return Take((int)size, "tagged field data");
    }

    /// <summary>Throws unless every byte has been consumed.</summary>
    public readonly void EnsureEnd(string what)
    {
        if (_position != _buffer.Length)
        {
            KafkaThrow.TrailingBytes(what, _position, Remaining);
        }
    }

    // ---- internals ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if ((uint)count > (uint)(_buffer.Length - _position))
        {
            KafkaThrow.Truncated(what, _position, count, _buffer.Length - _position);
        }
        ReadOnlySpan<byte> slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }

    private int ReadStringLength(bool flexible)
    {
        int start = _position;
        long length = flexible ? (long)ReadUnsignedVarint() - 1 : ReadInt16();
        if (length < -1 || length > MaxStringLength)
        {
            KafkaThrow.InvalidLength("string", length, start);
        }
        return (int)length;
    }

    private int ReadBytesLength(bool flexible)
    {
        int start = _position;
        long length = flexible ? (long)ReadUnsignedVarint() - 1 : ReadInt32();
        if (length < -1 || length > int.MaxValue)
        {
            KafkaThrow.InvalidLength("bytes", length, start);
        }
        return (int)length;
    }
}
