namespace FastMQ.Protocol.Messages;

/// <summary>The fixed fields of one Fetch response partition, written by <see cref="FetchResponseWriter.BeginPartition"/>.</summary>
/// <param name="PartitionIndex">Partition index.</param>
/// <param name="ErrorCode">Partition error (OFFSET_OUT_OF_RANGE, UNKNOWN_TOPIC_OR_PARTITION, …).</param>
/// <param name="HighWatermark">Offset after the last fully acknowledged record.</param>
/// <param name="LastStableOffset">v4+; equals the high watermark without transactions.</param>
/// <param name="LogStartOffset">v5+; first offset still kept.</param>
/// <param name="PreferredReadReplica">v11+; -1 = read from the leader.</param>
public readonly record struct FetchPartitionHeader(
    int PartitionIndex,
    ErrorCode ErrorCode,
    long HighWatermark,
    long LastStableOffset,
    long LogStartOffset,
    int PreferredReadReplica = -1);
