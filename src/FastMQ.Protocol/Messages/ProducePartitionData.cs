using System;

namespace FastMQ.Protocol.Messages;

/// <summary>One partition of a Produce request, as handed out by <see cref="ProduceRequestReader"/>.</summary>
/// <remarks>
/// <see cref="Records"/> is a slice of the request buffer (no copy). To rewrite batch fields in place (baseOffset,
/// partitionLeaderEpoch), slice the caller's own mutable receive buffer with <see cref="RecordsOffset"/>.
/// </remarks>
public readonly ref struct ProducePartitionData
{
    public ProducePartitionData(int partitionIndex, ReadOnlySpan<byte> records, bool recordsIsNull, int recordsOffset)
    {
        PartitionIndex = partitionIndex;
        Records = records;
        RecordsIsNull = recordsIsNull;
        RecordsOffset = recordsOffset;
    }

    public int PartitionIndex { get; }

    /// <summary>The RECORDS bytes (record batches) exactly as received; empty when null.</summary>
    public ReadOnlySpan<byte> Records { get; }

    public bool RecordsIsNull { get; }

    /// <summary>Offset of <see cref="Records"/> from the start of the body span given to the reader.</summary>
    public int RecordsOffset { get; }
}
