using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Tests.Capture;

/// <summary>
/// Just enough Kafka request decoding for the fake broker (classic and compact forms). Test-only: the real codecs
/// live in FastMQ.Protocol.Messages and are tested on their own.
/// </summary>
internal sealed class WireReader
{
    private readonly byte[] _data;
    private int _position;

    public WireReader(byte[] data)
    {
        _data = data;
    }

    public int Remaining => _data.Length - _position;

    public byte Int8() => Take(1)[0];

    public bool Bool() => Int8() != 0;

    public short Int16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public uint UVarint()
    {
        if (!Varint.TryReadUnsigned(_data.AsSpan(_position), out uint value, out int n))
        {
            throw new InvalidDataException($"bad unsigned varint at byte {_position}");
        }
        _position += n;
        return value;
    }

    /// <summary>Classic: int16 length; compact: uvarint length+1. Null is -1 / 0.</summary>
    public string? NullableString(bool flexible)
    {
        int length = flexible ? (int)UVarint() - 1 : Int16();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>Classic: int32 length; compact: uvarint length+1. Null is -1 / 0.</summary>
    public byte[]? NullableBytes(bool flexible)
    {
        int length = flexible ? (int)UVarint() - 1 : Int32();
        return length < 0 ? null : Take(length).ToArray();
    }

    /// <summary>Element count, -1 for a null array.</summary>
    public int ArrayCount(bool flexible) => flexible ? (int)UVarint() - 1 : Int32();

    public void Skip(int count) => Take(count);

    /// <summary>Skips a tagged-field section (flexible versions only).</summary>
    public void SkipTags(bool flexible)
    {
        if (!flexible)
        {
            return;
        }
        uint count = UVarint();
        for (uint i = 0; i < count; i++)
        {
            UVarint();
            Skip((int)UVarint());
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new InvalidDataException($"request needs {count} bytes at byte {_position}, {Remaining} left");
        }
        var span = new ReadOnlySpan<byte>(_data, _position, count);
        _position += count;
        return span;
    }
}
