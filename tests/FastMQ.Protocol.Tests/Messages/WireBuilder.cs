using System;
using System.Collections.Generic;
using System.Text;

namespace FastMQ.Protocol.Tests.Messages;

/// <summary>
/// Hand-assembles wire bytes field by field for fixtures. Deliberately independent of KafkaWriter (its own big-endian
/// and varint code) so a fixture checks the codec against the schema, not against itself.
/// </summary>
internal sealed class WireBuilder
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public WireBuilder I8(int value)
    {
        _bytes.Add((byte)value);
        return this;
    }

    public WireBuilder Bool(bool value) => I8(value ? 1 : 0);

    public WireBuilder I16(int value)
    {
        _bytes.Add((byte)(value >> 8));
        _bytes.Add((byte)value);
        return this;
    }

    public WireBuilder I32(int value)
    {
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            _bytes.Add((byte)(value >> shift));
        }
        return this;
    }

    public WireBuilder I64(long value)
    {
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            _bytes.Add((byte)(value >> shift));
        }
        return this;
    }

    public WireBuilder UVarint(uint value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value & 0x7F | 0x80));
            value >>= 7;
        }
        _bytes.Add((byte)value);
        return this;
    }

    /// <summary>STRING: INT16 length then UTF-8.</summary>
    public WireBuilder Str(string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        I16(utf8.Length);
        _bytes.AddRange(utf8);
        return this;
    }

    /// <summary>NULLABLE_STRING null: INT16 -1.</summary>
    public WireBuilder NullStr() => I16(-1);

    /// <summary>COMPACT_STRING: UNSIGNED_VARINT N+1 then UTF-8.</summary>
    public WireBuilder CStr(string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        UVarint((uint)utf8.Length + 1);
        _bytes.AddRange(utf8);
        return this;
    }

    /// <summary>COMPACT_NULLABLE_STRING null: varint 0.</summary>
    public WireBuilder CNullStr() => UVarint(0);

    /// <summary>BYTES / RECORDS classic: INT32 length then payload.</summary>
    public WireBuilder Bytes(byte[] payload)
    {
        I32(payload.Length);
        _bytes.AddRange(payload);
        return this;
    }

    /// <summary>COMPACT_BYTES / compact RECORDS: UNSIGNED_VARINT N+1 then payload.</summary>
    public WireBuilder CBytes(byte[] payload)
    {
        UVarint((uint)payload.Length + 1);
        _bytes.AddRange(payload);
        return this;
    }

    /// <summary>ARRAY count classic.</summary>
    public WireBuilder Arr(int count) => I32(count);

    /// <summary>COMPACT_ARRAY count (N+1).</summary>
    public WireBuilder CArr(int count) => UVarint((uint)(count + 1));

    /// <summary>An empty tagged-field section.</summary>
    public WireBuilder NoTags() => I8(0);

    public WireBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public WireBuilder Uuid(Guid value)
    {
        _bytes.AddRange(value.ToByteArray(bigEndian: true));
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>Prefixes the bytes with their INT32 length (a frame).</summary>
    public byte[] ToFrame()
    {
        var frame = new WireBuilder().I32(_bytes.Count);
        frame._bytes.AddRange(_bytes);
        return frame.ToArray();
    }
}
