namespace FastMQ.Storage;

/// <summary>What opening a log found and did; also written to the log's ILogger.</summary>
/// <param name="CleanShutdown">A valid clean-shutdown marker let the open skip the active segment's scan.</param>
/// <param name="SegmentsScanned">Segments read batch by batch (CRC and offset continuity checked).</param>
/// <param name="SegmentsTruncated">Segments cut at their last valid batch because invalid bytes followed.</param>
/// <param name="BytesDiscarded">Non-zero bytes after the last valid batch that recovery erased.</param>
/// <param name="SegmentsDeleted">Segments deleted because they followed truncated data.</param>
public sealed record LogRecoveryInfo(bool CleanShutdown, int SegmentsScanned, int SegmentsTruncated, long BytesDiscarded, int SegmentsDeleted);
