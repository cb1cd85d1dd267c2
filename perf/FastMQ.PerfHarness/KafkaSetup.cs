using System;
using System.Collections.Generic;
using System.Linq;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace FastMQ.PerfHarness;

/// <summary>Client configuration, topic creation and the durability probe shared by the scenarios.</summary>
internal static class KafkaSetup
{
    public static ProducerConfig ProducerConfig(HarnessOptions o, string bootstrap) => new()
    {
        BootstrapServers = bootstrap,
        Acks = o.Acks switch { "0" => Acks.None, "1" => Acks.Leader, _ => Acks.All },
        CompressionType = o.Compression switch
        {
            "lz4" => CompressionType.Lz4,
            "zstd" => CompressionType.Zstd,
            "snappy" => CompressionType.Snappy,
            "gzip" => CompressionType.Gzip,
            _ => CompressionType.None,
        },
        LingerMs = o.EffectiveLingerMs,
        BatchSize = o.BatchSizeBytes,
        EnableIdempotence = false,
        // A deep client queue so the producer thread rarely waits on it; 1 GiB of buffered bytes at most.
        QueueBufferingMaxMessages = 1_000_000,
        QueueBufferingMaxKbytes = 1_048_576,
        MessageTimeoutMs = 60_000,
        Partitioner = Partitioner.Murmur2Random,
    };

    public static ConsumerConfig ConsumerConfig(string bootstrap) => new()
    {
        BootstrapServers = bootstrap,
        // Partitions are assigned by hand (no consumer-group protocol); a group id is still required by the client.
        GroupId = "fastmq-perf-" + Guid.NewGuid().ToString("N"),
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnablePartitionEof = false,
    };

    /// <summary>Creates the topic unless it exists; <c>--flush-policy</c>/<c>--flush-ms</c> become its topic configs.</summary>
    public static void EnsureTopic(string bootstrap, HarnessOptions o)
    {
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (o.FlushPolicy is not null)
        {
            configs["flush.policy"] = o.FlushPolicy;
        }
        if (o.FlushMs is int ms)
        {
            configs["flush.ms"] = ms.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        try
        {
            admin.CreateTopicsAsync([new TopicSpecification { Name = o.Topic, NumPartitions = o.Partitions, ReplicationFactor = 1, Configs = configs }])
                .GetAwaiter().GetResult();
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.TopicAlreadyExists or ErrorCode.NoError))
        {
            if (configs.Count > 0)
            {
                Console.WriteLine($"topic {o.Topic} exists: --flush-policy/--flush-ms not applied (the durability line shows what is in force)");
            }
        }
    }

    public static int PartitionCount(string bootstrap, string topic)
    {
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        Metadata md = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        return md.Topics.Count == 1 && !md.Topics[0].Error.IsError ? md.Topics[0].Partitions.Count : throw new InvalidOperationException($"topic {topic} not found");
    }

    /// <summary>Asks the broker for the topic's flush settings (which default to the broker's).</summary>
    public static DurabilityFacts ProbeDurability(string bootstrap, string topic, string acks)
    {
        try
        {
            using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
            List<DescribeConfigsResult> results = admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }])
                .GetAwaiter().GetResult();
            Dictionary<string, ConfigEntryResult> e = results[0].Entries;
            return new DurabilityFacts
            {
                FlushPolicy = Get(e, "flush.policy"),
                FlushIntervalMs = Get(e, "flush.ms"),
                FlushIntervalBytes = Get(e, "flush.bytes"),
                Acks = acks,
                Source = "DescribeConfigs of the topic",
            };
        }
        catch (KafkaException ex)
        {
            return new DurabilityFacts { Acks = acks, Source = "DescribeConfigs failed: " + ex.Message };
        }
    }

    private static string Get(Dictionary<string, ConfigEntryResult> entries, string name) =>
        entries.TryGetValue(name, out ConfigEntryResult? v) ? v.Value ?? "null" : "absent";
}
