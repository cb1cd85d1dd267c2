namespace FastMQ.Protocol.Messages;

/// <summary>One partition of a Fetch request, as handed out by <see cref="FetchRequestReader"/>.</summary>
/// <param name="Partition">Partition index.</param>
/// <param name="CurrentLeaderEpoch">v9+; -1 when absent or unknown.</param>
/// <param name="FetchOffset">First offset wanted.</param>
/// <param name="LastFetchedEpoch">v12+; -1 when absent (consumers).</param>
/// <param name="LogStartOffset">v5+; followers only, -1 from consumers.</param>
/// <param name="PartitionMaxBytes">Soft per-partition byte limit (KIP-74).</param>
public readonly record struct FetchPartitionRequest(
    int Partition,
    int CurrentLeaderEpoch,
    long FetchOffset,
    int LastFetchedEpoch,
    long LogStartOffset,
    int PartitionMaxBytes);
