namespace FastMQ.Protocol.Records;

/// <summary>
/// Byte layout of a Kafka RecordBatch v2 header (magic 2), all fields big-endian.
/// Keep in sync with: docs/FORMATS.md (segment layout), Records/README.md, RecordBatchHeader, RecordBatchValidator,
/// RecordBatchBuilder, RecordBatchReader.
/// </summary>
/// <remarks>
/// The CRC-32C covers <see cref="AttributesOffset"/> through the end of the batch, so the broker can rewrite
/// <see cref="BaseOffsetOffset"/> and <see cref="PartitionLeaderEpochOffset"/> on append without recomputing it.
/// </remarks>
public static class RecordBatchDescriptor
{
    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordsCountOffset = 57;

    /// <summary>Size of the header; the records (or one compressed blob of them) follow.</summary>
    public const int HeaderSize = 61;

    /// <summary>baseOffset (8) + batchLength (4): the bytes not counted in batchLength.</summary>
    public const int LogOverhead = 12;

    /// <summary>The only message format FastMQ stores.</summary>
    public const byte CurrentMagic = 2;

    public const short CompressionCodecMask = 0x07;
    public const short TimestampTypeMask = 0x08;
    public const short TransactionalFlagMask = 0x10;
    public const short ControlFlagMask = 0x20;
    public const short DeleteHorizonFlagMask = 0x40;
}
