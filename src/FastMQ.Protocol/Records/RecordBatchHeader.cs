using System;
using System.Buffers.Binary;

namespace FastMQ.Protocol.Records;

/// <summary>
/// A read view over the first <see cref="RecordBatchDescriptor.HeaderSize"/> bytes of a RecordBatch v2.
/// It does not validate: call <see cref="RecordBatchValidator.Validate"/> on data from outside first.
/// </summary>
public readonly ref struct RecordBatchHeader
{
    private readonly ReadOnlySpan<byte> _bytes;

    public RecordBatchHeader(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < RecordBatchDescriptor.HeaderSize)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(batch), "shorter than a RecordBatch header");
        }
        _bytes = batch;
    }

    public long BaseOffset => BinaryPrimitives.ReadInt64BigEndian(_bytes[RecordBatchDescriptor.BaseOffsetOffset..]);
    public int BatchLength => BinaryPrimitives.ReadInt32BigEndian(_bytes[RecordBatchDescriptor.BatchLengthOffset..]);
    /// <summary>Total size of the batch on the wire and on disk: batchLength + 12.</summary>
    public int TotalSize => BatchLength + RecordBatchDescriptor.LogOverhead;
    public int PartitionLeaderEpoch => BinaryPrimitives.ReadInt32BigEndian(_bytes[RecordBatchDescriptor.PartitionLeaderEpochOffset..]);
    public byte Magic => _bytes[RecordBatchDescriptor.MagicOffset];
    public uint Crc => BinaryPrimitives.ReadUInt32BigEndian(_bytes[RecordBatchDescriptor.CrcOffset..]);
    public short Attributes => BinaryPrimitives.ReadInt16BigEndian(_bytes[RecordBatchDescriptor.AttributesOffset..]);
    public CompressionCodec Compression => (CompressionCodec)(Attributes & RecordBatchDescriptor.CompressionCodecMask);
    public bool IsLogAppendTime => (Attributes & RecordBatchDescriptor.TimestampTypeMask) != 0;
    public bool IsTransactional => (Attributes & RecordBatchDescriptor.TransactionalFlagMask) != 0;
    public bool IsControl => (Attributes & RecordBatchDescriptor.ControlFlagMask) != 0;
    public int LastOffsetDelta => BinaryPrimitives.ReadInt32BigEndian(_bytes[RecordBatchDescriptor.LastOffsetDeltaOffset..]);
    /// <summary>Offset of the last record: BaseOffset + LastOffsetDelta.</summary>
    public long LastOffset => BaseOffset + LastOffsetDelta;
    public long BaseTimestamp => BinaryPrimitives.ReadInt64BigEndian(_bytes[RecordBatchDescriptor.BaseTimestampOffset..]);
    public long MaxTimestamp => BinaryPrimitives.ReadInt64BigEndian(_bytes[RecordBatchDescriptor.MaxTimestampOffset..]);
    public long ProducerId => BinaryPrimitives.ReadInt64BigEndian(_bytes[RecordBatchDescriptor.ProducerIdOffset..]);
    public short ProducerEpoch => BinaryPrimitives.ReadInt16BigEndian(_bytes[RecordBatchDescriptor.ProducerEpochOffset..]);
    public int BaseSequence => BinaryPrimitives.ReadInt32BigEndian(_bytes[RecordBatchDescriptor.BaseSequenceOffset..]);
    public int RecordsCount => BinaryPrimitives.ReadInt32BigEndian(_bytes[RecordBatchDescriptor.RecordsCountOffset..]);

    /// <summary>Rewrites the two fields the broker owns; both lie outside the CRC.</summary>
    public static void AssignOffsetAndEpoch(Span<byte> batch, long baseOffset, int partitionLeaderEpoch)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchDescriptor.BaseOffsetOffset..], baseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchDescriptor.PartitionLeaderEpochOffset..], partitionLeaderEpoch);
    }
}
