namespace FastMQ.Storage.Segments;

/// <summary>The header facts the log's lookups need about one stored batch.</summary>
internal readonly record struct BatchInfo(long BaseOffset, long LastOffset, int Size, long MaxTimestamp);
