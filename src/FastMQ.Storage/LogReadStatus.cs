namespace FastMQ.Storage;

/// <summary>Outcome of <see cref="PartitionLog.TryRead"/>.</summary>
public enum LogReadStatus
{
    /// <summary>The slice holds at least one whole batch.</summary>
    Ok = 0,
    /// <summary>The offset is valid but nothing is readable yet (at the upper bound or the log end): wait for appends.</summary>
    NoData,
    /// <summary>The offset is below the log start or above the log end; Kafka OFFSET_OUT_OF_RANGE.</summary>
    OffsetOutOfRange,
    /// <summary>The log is closed (the broker is shutting down, or the partition was deleted): nothing can be read from it.</summary>
    Closed,
}
