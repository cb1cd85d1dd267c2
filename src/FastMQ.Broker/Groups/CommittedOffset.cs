namespace FastMQ.Broker.Groups;

/// <summary>
/// A committed position: <see cref="Offset"/> is the next record the group will read (last processed + 1), stored
/// with the client's leader epoch (-1 if unknown) and metadata string, as given.
/// </summary>
internal readonly record struct CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);
