namespace FastMQ.PerfHarness;

/// <summary>
/// The durability every result is measured under: the broker's flush policy as it reports it (DescribeConfigs), the
/// producer's acks, and replication factor 1 (FastMQ is single-node so far).
/// </summary>
internal sealed class DurabilityFacts
{
    public string FlushPolicy { get; init; } = "unknown";
    public string FlushIntervalMs { get; init; } = "unknown";
    public string FlushIntervalBytes { get; init; } = "unknown";
    public string Acks { get; init; } = "";
    public int ReplicationFactor { get; init; } = 1;
    public string Source { get; init; } = "";

    public override string ToString() =>
        $"flush.policy={FlushPolicy} flush.ms={FlushIntervalMs} flush.bytes={FlushIntervalBytes}, acks={Acks}, replication=1 ({Source})";
}
