using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace FastMQ.Protocol.Primitives;

/// <summary>
/// A forward writer of Kafka protocol primitives, either into a caller's fixed span or into a growable buffer rented
/// from <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
/// <remarks>
/// <para>Fixed mode (<see cref="KafkaWriter(Span{byte})"/>) never allocates; running out of room throws
/// <see cref="InvalidOperationException"/> (size the buffer with the bounds the message writers publish). Pooled mode
/// (<see cref="CreatePooled"/>) doubles its rented array as needed; call <see cref="Dispose"/> to return it, after which
/// <see cref="Written"/> must not be used. Positions handed out by <see cref="ReserveInt32"/> stay valid when the
/// pooled buffer grows, because they are offsets, not references.</para>
/// <para>Methods taking <c>flexible</c> write the compact form (UNSIGNED_VARINT N+1, 0 = null) when true and the
/// classic form otherwise, mirroring <see cref="KafkaReader"/>.</para>
/// </remarks>
public ref struct KafkaWriter
{
    private Span<byte> _buffer;
    private byte[]? _rented;
    private int _position;
    private readonly bool _growable;

    /// <summary>Writes into <paramref name="destination"/>; never grows or allocates.</summary>
    public KafkaWriter(Span<byte> destination)
    {
        _buffer = destination;
        _rented = null;
        _position = 0;
        _growable = false;
    }

    private KafkaWriter(byte[] rented)
    {
        _buffer = rented;
        _rented = rented;
        _position = 0;
        _growable = true;
    }

    /// <summary>Creates a writer over a rented array that grows on demand. Dispose it to return the array.</summary>
    public static KafkaWriter CreatePooled(int initialCapacity = 4096) =>
        new(ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 64)));

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    /// <summary>Room left before the writer must grow (pooled) or fail (fixed).</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    /// <summary>Returns the rented array (pooled mode); a no-op in fixed mode.</summary>
    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
        _buffer = default;
        _position = 0;
    }

    public void WriteInt8(sbyte value) => Claim(1)[0] = (byte)value;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Claim(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Claim(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Claim(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Claim(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Claim(8), value);

    public void WriteFloat64(double value) => BinaryPrimitives.WriteDoubleBigEndian(Claim(8), value);

    public void WriteBoolean(bool value) => Claim(1)[0] = value ? (byte)1 : (byte)0;

    /// <summary>UUID as 16 big-endian bytes (the inverse of <see cref="KafkaReader.ReadUuid"/>).</summary>
    public void WriteUuid(Guid value) => value.TryWriteBytes(Claim(16), bigEndian: true, out _);

    public void WriteUnsignedVarint(uint value)
    {
        Span<byte> span = Claim(Varint.SizeOfUnsigned(value));
        Varint.WriteUnsigned(span, value);
    }

    public void WriteVarint(int value)
    {
        Span<byte> span = Claim(Varint.SizeOfSigned(value));
        Varint.WriteSigned(span, value);
    }

    public void WriteVarlong(long value)
    {
        Span<byte> span = Claim(Varint.SizeOfSigned64(value));
        Varint.WriteSigned64(span, value);
    }

    public void WriteRaw(scoped ReadOnlySpan<byte> bytes) => bytes.CopyTo(Claim(bytes.Length));

    // ---- strings ----

    /// <summary>STRING / COMPACT_STRING from UTF-8 bytes.</summary>
    public void WriteString(scoped ReadOnlySpan<byte> utf8, bool flexible)
    {
        if (utf8.Length > KafkaReader.MaxStringLength)
        {
            KafkaThrow.ValueTooLong("string", utf8.Length, KafkaReader.MaxStringLength);
        }
        WriteLength(utf8.Length, flexible, classicInt16: true);
        WriteRaw(utf8);
    }

    /// <summary>STRING / COMPACT_STRING from a <see cref="string"/>, encoded in place without allocating.</summary>
    public void WriteString(string value, bool flexible)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        if (length > KafkaReader.MaxStringLength)
        {
            KafkaThrow.ValueTooLong("string", length, KafkaReader.MaxStringLength);
        }
        WriteLength(length, flexible, classicInt16: true);
        Encoding.UTF8.GetBytes(value, Claim(length));
    }

    /// <summary>NULLABLE_STRING / COMPACT_NULLABLE_STRING; null writes -1 (classic) or 0 (compact).</summary>
    public void WriteNullableString(string? value, bool flexible)
    {
        if (value is null)
        {
            WriteLength(-1, flexible, classicInt16: true);
            return;
        }
        WriteString(value, flexible);
    }

    /// <summary>NULLABLE_STRING from UTF-8 bytes; <paramref name="isNull"/> writes the null marker instead.</summary>
    public void WriteNullableString(scoped ReadOnlySpan<byte> utf8, bool isNull, bool flexible)
    {
        if (isNull)
        {
            WriteLength(-1, flexible, classicInt16: true);
            return;
        }
        WriteString(utf8, flexible);
    }

    // ---- bytes ----

    /// <summary>BYTES / COMPACT_BYTES.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> bytes, bool flexible)
    {
        WriteBytesLength(bytes.Length, flexible);
        WriteRaw(bytes);
    }

    /// <summary>NULLABLE_BYTES / COMPACT_NULLABLE_BYTES (also RECORDS).</summary>
    public void WriteNullableBytes(scoped ReadOnlySpan<byte> bytes, bool isNull, bool flexible)
    {
        if (isNull)
        {
            WriteBytesLength(-1, flexible);
            return;
        }
        WriteBytes(bytes, flexible);
    }

    /// <summary>
    /// Writes only the length prefix of a BYTES/RECORDS field (-1 = null); the caller then supplies exactly
    /// <paramref name="length"/> payload bytes, here or outside this buffer.
    /// </summary>
    public void WriteBytesLength(int length, bool flexible)
    {
        if (length < -1)
        {
            KafkaThrow.NegativeArgument("bytes length", length);
        }
        WriteLength(length, flexible, classicInt16: false);
    }

    // ---- arrays ----

    /// <summary>ARRAY / COMPACT_ARRAY count; -1 writes a null array.</summary>
    public void WriteArrayCount(int count, bool flexible)
    {
        if (count < -1)
        {
            KafkaThrow.NegativeArgument("array count", count);
        }
        WriteLength(count, flexible, classicInt16: false);
    }

    // ---- tagged fields ----

    /// <summary>An empty tagged-field section (one zero byte); writes nothing in classic versions.</summary>
    public void WriteEmptyTaggedFields(bool flexible)
    {
        if (flexible)
        {
            Claim(1)[0] = 0;
        }
    }

    /// <summary>Writes one tagged field (tag, size, data); the caller writes the section count first.</summary>
    public void WriteTaggedField(uint tag, scoped ReadOnlySpan<byte> data)
    {
        WriteUnsignedVarint(tag);
        WriteUnsignedVarint((uint)data.Length);
        WriteRaw(data);
    }

    // ---- reserve and patch ----

    /// <summary>Reserves four bytes (a size or count to fill in later) and returns their position.</summary>
    public int ReserveInt32()
    {
        int position = _position;
        Claim(4);
        return position;
    }

    /// <summary>Writes <paramref name="value"/> at a position returned by <see cref="ReserveInt32"/>.</summary>
    public readonly void PatchInt32(int position, int value)
    {
        if (position < 0 || position > _position - 4)
        {
            KafkaThrow.InvalidState($"Patch position {position} is outside the {_position} bytes written.");
        }
        BinaryPrimitives.WriteInt32BigEndian(_buffer[position..], value);
    }

    /// <summary>Reserves a 4-byte size prefix (frame or nested size) and returns its position.</summary>
    public int BeginSizePrefix() => ReserveInt32();

    /// <summary>
    /// Fills a size prefix with the bytes written after it plus <paramref name="externalBytes"/> (payload the caller
    /// sends from elsewhere, e.g. records by sendfile). Returns the size written.
    /// </summary>
    public readonly int EndSizePrefix(int position, long externalBytes = 0)
    {
        long size = (long)_position - position - 4 + externalBytes;
        if (size < 0 || size > int.MaxValue)
        {
            KafkaThrow.InvalidState($"Size prefix at {position} would be {size}, outside 0..{int.MaxValue}.");
        }
        PatchInt32(position, (int)size);
        return (int)size;
    }

    // ---- internals ----

    private void WriteLength(int length, bool flexible, bool classicInt16)
    {
        if (flexible)
        {
            WriteUnsignedVarint((uint)(length + 1));
        }
        else if (classicInt16)
        {
            WriteInt16((short)length);
        }
        else
        {
            WriteInt32(length);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Claim(int count)
    {
        if (count > _buffer.Length - _position)
        {
            Grow(count);
        }
        Span<byte> span = _buffer.Slice(_position, count);
        _position += count;
        return span;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        if (!_growable || _rented is null)
        {
            KafkaThrow.BufferTooSmall(_position, count, _buffer.Length);
        }
        long wanted = Math.Max((long)_buffer.Length * 2, (long)_position + count);
        if (wanted > Array.MaxLength)
        {
            KafkaThrow.BufferTooSmall(_position, count, _buffer.Length);
        }
        byte[] bigger = ArrayPool<byte>.Shared.Rent((int)wanted);
        _buffer[.._position].CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_rented);
        _rented = bigger;
        _buffer = bigger;
    }
}
