using System;
using FastMQ.Broker.Configuration;

namespace FastMQ.Broker.Metadata;

/// <summary>One topic as the broker knows it. Immutable: changes (more partitions, new configs) make a new instance.</summary>
public sealed class TopicMetadata
{
    public TopicMetadata(string name, Guid topicId, int partitionCount, TopicConfig config, bool isInternal = false)
    {
        Name = name;
        TopicId = topicId;
        PartitionCount = partitionCount;
        Config = config;
        IsInternal = isInternal;
        NameUtf8 = System.Text.Encoding.UTF8.GetBytes(name);
    }

    public string Name { get; }

    /// <summary>UTF-8 form of <see cref="Name"/>, written into responses without encoding per request.</summary>
    public byte[] NameUtf8 { get; }

    public Guid TopicId { get; }

    public int PartitionCount { get; }

    public TopicConfig Config { get; }

    public bool IsInternal { get; }

    public TopicMetadata WithPartitions(int count) => new(Name, TopicId, count, Config, IsInternal);
}
