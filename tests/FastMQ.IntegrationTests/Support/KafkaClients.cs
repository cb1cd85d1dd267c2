using System;
using System.Collections.Generic;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastMQ.Tests.Shared;

namespace FastMQ.IntegrationTests.Support;

/// <summary>Confluent.Kafka clients configured for tests against a FastMQ broker process.</summary>
public static class KafkaClients
{
    public static IProducer<byte[], byte[]> Producer(string bootstrap, Action<ProducerConfig>? configure = null)
    {
        BundledLibrdkafka.EnsureLoaded();
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random,
            MessageTimeoutMs = 30000,
        };
        configure?.Invoke(config);
        return new ProducerBuilder<byte[], byte[]>(config).Build();
    }

    public static IConsumer<byte[], byte[]> Consumer(string bootstrap, Action<ConsumerConfig>? configure = null)
    {
        BundledLibrdkafka.EnsureLoaded();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "unused-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        configure?.Invoke(config);
        return new ConsumerBuilder<byte[], byte[]>(config).Build();
    }

    public static IAdminClient Admin(string bootstrap)
    {
        BundledLibrdkafka.EnsureLoaded();
        return new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
    }

    public static void CreateTopic(string bootstrap, string name, int partitions, Dictionary<string, string>? configs = null)
    {
        using IAdminClient admin = Admin(bootstrap);
        admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1, Configs = configs }])
            .GetAwaiter().GetResult();
    }

    /// <summary>
    /// Reads every partition of <paramref name="topic"/> from the beginning (assign, no group) until
    /// <paramref name="expected"/> records arrived or <paramref name="timeout"/> passed.
    /// </summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadAll(string bootstrap, string topic, int partitions, int expected, TimeSpan timeout,
        Action<ConsumerConfig>? configure = null)
    {
        using IConsumer<byte[], byte[]> consumer = Consumer(bootstrap, configure);
        var assignment = new List<TopicPartitionOffset>();
        for (int p = 0; p < partitions; p++)
        {
            assignment.Add(new TopicPartitionOffset(topic, p, Offset.Beginning));
        }
        consumer.Assign(assignment);
        var records = new List<ConsumeResult<byte[], byte[]>>();
        DateTime deadline = DateTime.UtcNow + timeout;
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            ConsumeResult<byte[], byte[]>? r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is not null && !r.IsPartitionEOF)
            {
                records.Add(r);
            }
        }
        consumer.Close();
        return records;
    }
}
