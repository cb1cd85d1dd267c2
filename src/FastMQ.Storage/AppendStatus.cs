namespace FastMQ.Storage;

/// <summary>Outcome of <see cref="PartitionLog.TryAppend"/> and of the waits on a log.</summary>
public enum AppendStatus
{
    Ok = 0,
    /// <summary>The batch failed header or CRC validation (see <see cref="AppendResult.Validation"/>); Kafka CORRUPT_MESSAGE.</summary>
    CorruptMessage,
    /// <summary>The batch is larger than the log accepts; Kafka MESSAGE_TOO_LARGE.</summary>
    TooLarge,
    /// <summary>
    /// The file system is full (a new segment could not be allocated, or a write failed with ENOSPC/EDQUOT).
    /// Nothing acknowledged is lost; the log accepts appends again once space is freed. Kafka KAFKA_STORAGE_ERROR.
    /// </summary>
    DiskFull,
    /// <summary>An I/O error other than a full disk: the log is faulted and refuses appends (reads still work).</summary>
    IoError,
    /// <summary>The log is closed.</summary>
    Closed,
}
