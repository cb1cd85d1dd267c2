using System;
using System.Buffers.Binary;

namespace FastMQ.Protocol.Records;

/// <summary>Outcome of validating one batch; maps onto a Kafka error code at the protocol layer.</summary>
public enum BatchValidation
{
    Valid = 0,
    /// <summary>Fewer bytes than the header, or than batchLength says: a torn tail on disk, or a truncated request.</summary>
    Incomplete,
    /// <summary>batchLength smaller than a header, or records count inconsistent with lastOffsetDelta.</summary>
    InvalidLength,
    UnsupportedMagic,
    CrcMismatch,
    /// <summary>A reserved codec value (5–7).</summary>
    InvalidCompression,
    InvalidRecordCount,
}

/// <summary>Header and CRC-32C checks for RecordBatch v2, shared by the produce path and log recovery.</summary>
public static class RecordBatchValidator
{
    /// <summary>
    /// Validates the batch at the start of <paramref name="data"/>. On <see cref="BatchValidation.Valid"/>,
    /// <paramref name="totalSize"/> is the batch's size (batchLength + 12); the batch may be followed by more data.
    /// </summary>
    public static BatchValidation Validate(ReadOnlySpan<byte> data, out int totalSize)
    {
        totalSize = 0;
        if (data.Length < RecordBatchDescriptor.HeaderSize)
        {
            return BatchValidation.Incomplete;
        }
        int batchLength = BinaryPrimitives.ReadInt32BigEndian(data[RecordBatchDescriptor.BatchLengthOffset..]);
        if (batchLength < RecordBatchDescriptor.HeaderSize - RecordBatchDescriptor.LogOverhead)
        {
            return BatchValidation.InvalidLength;
        }
        if (data[RecordBatchDescriptor.MagicOffset] != RecordBatchDescriptor.CurrentMagic)
        {
            return BatchValidation.UnsupportedMagic;
        }
        long size = (long)batchLength + RecordBatchDescriptor.LogOverhead;
        if (size > data.Length)
        {
            return BatchValidation.Incomplete;
        }
        var batch = data[..(int)size];
        uint expected = BinaryPrimitives.ReadUInt32BigEndian(batch[RecordBatchDescriptor.CrcOffset..]);
        if (Crc32C.Compute(batch[RecordBatchDescriptor.AttributesOffset..]) != expected)
        {
            return BatchValidation.CrcMismatch;
        }
        short attributes = BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchDescriptor.AttributesOffset..]);
        if ((attributes & RecordBatchDescriptor.CompressionCodecMask) > (int)CompressionCodec.Zstd)
        {
            return BatchValidation.InvalidCompression;
        }
        int lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchDescriptor.LastOffsetDeltaOffset..]);
        int count = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchDescriptor.RecordsCountOffset..]);
        if (lastOffsetDelta < 0 || count != lastOffsetDelta + 1)
        {
            return BatchValidation.InvalidRecordCount;
        }
        totalSize = (int)size;
        return BatchValidation.Valid;
    }
}
