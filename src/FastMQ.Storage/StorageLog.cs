using Microsoft.Extensions.Logging;

namespace FastMQ.Storage;

/// <summary>Log messages of the storage layer, generated so that disabled levels cost nothing.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Recovery truncated segment {Segment} at position {Position}: {DiscardedBytes} bytes discarded ({Reason})")]
    public static partial void RecoveryTruncated(ILogger logger, string segment, long position, long discardedBytes, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Recovered segment {Segment} by scanning: {Batches} batches, {Bytes} bytes, next offset {NextOffset}")]
    public static partial void RecoveryScanned(ILogger logger, string segment, int batches, long bytes, long nextOffset);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "Recovery deleted segment {Segment}: it follows data that was truncated or does not continue its offsets")]
    public static partial void RecoveryDeletedSegment(ILogger logger, string segment);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Rebuilding the indexes of {Segment}: {Problem}")]
    public static partial void RebuildingIndexes(ILogger logger, string segment, string problem);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "Could not persist the indexes of {Segment} (they will be rebuilt on the next open): {Error}")]
    public static partial void IndexPersistFailed(ILogger logger, string segment, string error);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Log {Directory}: the disk is full ({Operation}); appends are refused until space is freed")]
    public static partial void DiskFull(ILogger logger, string directory, string operation);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Log {Directory}: writes succeed again after a full disk")]
    public static partial void DiskFullCleared(ILogger logger, string directory);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error,
        Message = "Log {Directory} is faulted and refuses appends: {Operation} failed: {Error}")]
    public static partial void Faulted(ILogger logger, string directory, string operation, string error);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning,
        Message = "Could not preallocate {Segment} ({Error}); writes will extend the file as they go")]
    public static partial void PreallocateFailed(ILogger logger, string segment, string error);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Deleted segment {Segment} ({Reason})")]
    public static partial void SegmentDeleted(ILogger logger, string segment, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Rolled to segment {Segment}")]
    public static partial void SegmentRolled(ILogger logger, string segment);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning,
        Message = "Could not sync directory {Directory} after deleting segments: {Error}")]
    public static partial void DirectorySyncFailed(ILogger logger, string directory, string error);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning,
        Message = "Log {Directory}: close could not make the log durable ({Status}); the next open will recover it by scanning")]
    public static partial void UncleanClose(ILogger logger, string directory, string status);
}
