using FastMQ.Broker.Configuration;

namespace FastMQ.Broker.Groups;

/// <summary>The group coordinator's settings (Kafka broker property names), read once at start-up.</summary>
internal sealed record GroupSettings(
    int InitialRebalanceDelayMs,
    int MinSessionTimeoutMs,
    int MaxSessionTimeoutMs,
    int OffsetsTopicPartitions,
    int OffsetsTopicSegmentBytes,
    long OffsetsRetentionMs,
    int OffsetMetadataMaxBytes)
{
    public static GroupSettings From(BrokerOptions options) => new(
        (int)(long)options.Value("group.initial.rebalance.delay.ms"),
        (int)(long)options.Value("group.min.session.timeout.ms"),
        (int)(long)options.Value("group.max.session.timeout.ms"),
        (int)(long)options.Value("offsets.topic.num.partitions"),
        (int)(long)options.Value("offsets.topic.segment.bytes"),
        (long)options.Value("offsets.retention.minutes") * 60_000,
        (int)(long)options.Value("offset.metadata.max.bytes"));
}
