using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using FastMQ.Protocol.Primitives;
using FastMQ.Protocol.Records;

namespace FastMQ.Protocol.Tests.Records;

/// <summary>Hand-assembles records areas and batches, so tests can produce exactly the malformed bytes they need.</summary>
internal sealed class RawBatch
{
    private readonly List<byte> _bytes = [];

    public RawBatch VarInt(long value)
    {
        Span<byte> buffer = stackalloc byte[Varint.MaxLength64];
        int n = Varint.WriteSigned64(buffer, value);
        _bytes.AddRange(buffer[..n]);
        return this;
    }

    public RawBatch Byte(byte value)
    {
        _bytes.Add(value);
        return this;
    }

    public RawBatch Bytes(ReadOnlySpan<byte> value)
    {
        _bytes.AddRange(value);
        return this;
    }

    /// <summary>A well-formed record: length, attributes, deltas, key, value, no headers.</summary>
    public RawBatch Record(int offsetDelta, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var body = new RawBatch().Byte(0).VarInt(0).VarInt(offsetDelta).VarInt(key.Length).Bytes(key).VarInt(value.Length).Bytes(value).VarInt(0);
        return VarInt(body._bytes.Count).Bytes(body.ToArray());
    }

    public byte[] ToArray() => [.. _bytes];

    /// <summary>Wraps a records area in a signed v2 header announcing <paramref name="count"/> records.</summary>
    public static byte[] Wrap(ReadOnlySpan<byte> area, int count, CompressionCodec codec = CompressionCodec.None)
    {
        byte[] batch = new byte[RecordBatchDescriptor.HeaderSize + area.Length];
        Span<byte> h = batch;
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.BatchLengthOffset..], batch.Length - RecordBatchDescriptor.LogOverhead);
        h[RecordBatchDescriptor.MagicOffset] = RecordBatchDescriptor.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(h[RecordBatchDescriptor.AttributesOffset..], (short)codec);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.LastOffsetDeltaOffset..], count - 1);
        BinaryPrimitives.WriteInt64BigEndian(h[RecordBatchDescriptor.ProducerIdOffset..], -1);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.RecordsCountOffset..], count);
        area.CopyTo(h[RecordBatchDescriptor.HeaderSize..]);
        RecordBatchValidatorTests.Resign(batch);
        return batch;
    }
}
