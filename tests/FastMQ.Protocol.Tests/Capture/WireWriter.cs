using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Tests.Capture;

/// <summary>Just enough Kafka response encoding for the fake broker (classic and compact forms). Test-only.</summary>
internal sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public WireWriter Int8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public WireWriter Bool(bool value) => Int8(value ? (byte)1 : (byte)0);

    public WireWriter Int16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public WireWriter Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public WireWriter Int64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public WireWriter UVarint(uint value)
    {
        _buffer.Advance(Varint.WriteUnsigned(_buffer.GetSpan(Varint.MaxLength32), value));
        return this;
    }

    public WireWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public WireWriter NullableString(string? value, bool flexible)
    {
        if (value is null)
        {
            return flexible ? UVarint(0) : Int16(-1);
        }
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        if (flexible)
        {
            UVarint((uint)bytes.Length + 1);
        }
        else
        {
            Int16((short)bytes.Length);
        }
        return Raw(bytes);
    }

    public WireWriter ArrayCount(int count, bool flexible) => flexible ? UVarint((uint)(count + 1)) : Int32(count);

    /// <summary>An empty tagged-field section (flexible versions only).</summary>
    public WireWriter EmptyTags(bool flexible) => flexible ? UVarint(0) : this;

    /// <summary>The response frame: int32 size, then everything written.</summary>
    public byte[] ToFrame()
    {
        byte[] frame = new byte[4 + _buffer.WrittenCount];
        BinaryPrimitives.WriteInt32BigEndian(frame, _buffer.WrittenCount);
        _buffer.WrittenSpan.CopyTo(frame.AsSpan(4));
        return frame;
    }
}
