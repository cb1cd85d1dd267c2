namespace FastMQ.Broker.Groups;

/// <summary>
/// One committed partition of a group in a <see cref="GroupLagSnapshot"/>: the committed offset (next record to read),
/// the partition's log end offset as consumers see it (its high watermark) and the lag in records
/// (max(0, LogEndOffset − CommittedOffset)). LogEndOffset and Lag are -1 when unknown (the topic or partition no longer
/// exists, or its high watermark was not published yet).
/// </summary>
public readonly record struct PartitionLag(string Topic, int Partition, long CommittedOffset, long LogEndOffset, long Lag);
