namespace FastMQ.Storage.Segments;

/// <summary>
/// Byte layout of the two sparse index files of a segment, all fields big-endian (as Kafka's).
/// Keep in sync with: docs/FORMATS.md (Index files), OffsetIndex, TimeIndex.
/// </summary>
public static class IndexDescriptor
{
    /// <summary>.index entry: relativeOffset int32 (batch base offset − segment base offset), position int32.</summary>
    public const int OffsetEntrySize = 8;
    public const int OffsetEntryRelativeOffsetOffset = 0;
    public const int OffsetEntryPositionOffset = 4;

    /// <summary>.timeindex entry: timestamp int64 (largest batch maxTimestamp so far), relativeOffset int32.</summary>
    public const int TimeEntrySize = 12;
    public const int TimeEntryTimestampOffset = 0;
    public const int TimeEntryRelativeOffsetOffset = 8;

    /// <summary>Kafka's "no timestamp" value, used while a segment holds no batch.</summary>
    public const long NoTimestamp = -1;
}
