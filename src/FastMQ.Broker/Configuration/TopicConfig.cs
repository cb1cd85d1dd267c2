using System;
using System.Collections.Generic;

namespace FastMQ.Broker.Configuration;

/// <summary>How a partition log makes appends durable before they are acknowledged.</summary>
public enum FlushMode
{
    /// <summary>fdatasync before acknowledging each append.</summary>
    Fsync,
    /// <summary>Group commit: one fdatasync covers every append of a short window; acks wait for it.</summary>
    Group,
    /// <summary>No fsync; acknowledged once written to the device queue (durability from replication later).</summary>
    None,
}

/// <summary>
/// The effective settings of one topic: the broker defaults overridden by the topic's own (CreateTopics configs).
/// Immutable; a change makes a new instance.
/// </summary>
public sealed class TopicConfig
{
    private TopicConfig(IReadOnlyDictionary<string, string> overrides)
    {
        Overrides = overrides;
    }

    public long SegmentBytes { get; private init; }
    public long SegmentMs { get; private init; }
    public long RetentionMs { get; private init; }
    public long RetentionBytes { get; private init; }
    public int MaxMessageBytes { get; private init; }
    public FlushMode FlushMode { get; private init; }
    public long FlushIntervalMs { get; private init; }
    public long FlushIntervalBytes { get; private init; }
    public bool LogAppendTime { get; private init; }

    /// <summary>Topic-level names and values set explicitly for this topic.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; }

    internal static TopicConfig FromBroker(BrokerOptions b) => Build(b, new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>
    /// Applies topic-level settings (Kafka topic names, e.g. retention.ms) over the broker defaults; an unknown name or a
    /// bad value throws <see cref="BrokerConfigException"/> naming it.
    /// </summary>
    public static TopicConfig Create(BrokerOptions broker, IEnumerable<KeyValuePair<string, string?>> topicSettings)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string? value) in topicSettings)
        {
            if (value is null)
            {
                continue;
            }
            BrokerSetting? s = BrokerSettings.FindByTopicName(name)
                ?? throw new BrokerConfigException($"Unknown topic setting '{name}'.");
            _ = s.Parse(value);
            overrides[name] = value;
        }
        return Build(broker, overrides);
    }

    private static TopicConfig Build(BrokerOptions b, Dictionary<string, string> o)
    {
        object Get(string brokerName)
        {
            BrokerSetting s = BrokerSettings.Find(brokerName)!;
            return s.TopicName is not null && o.TryGetValue(s.TopicName, out string? v) ? s.Parse(v) : b.Value(brokerName);
        }
        return new TopicConfig(o)
        {
            SegmentBytes = (long)Get("log.segment.bytes"),
            SegmentMs = (long)Get("log.roll.ms"),
            RetentionMs = (long)Get("log.retention.ms"),
            RetentionBytes = (long)Get("log.retention.bytes"),
            MaxMessageBytes = (int)(long)Get("message.max.bytes"),
            FlushMode = (string)Get("log.flush.policy") switch
            {
                "fsync" => FlushMode.Fsync,
                "none" => FlushMode.None,
                _ => FlushMode.Group,
            },
            FlushIntervalMs = (long)Get("log.flush.interval.ms"),
            FlushIntervalBytes = (long)Get("log.flush.interval.bytes"),
            LogAppendTime = (string)Get("log.message.timestamp.type") == "LogAppendTime",
        };
    }
}
