using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using FastMQ.Tests.Shared;

namespace FastMQ.IntegrationTests.Groups;

/// <summary>Broker settings and consumer helpers shared by the consumer-group tests.</summary>
internal static class GroupTestSupport
{
    /// <summary>Small timeouts so rebalances and session expiry happen in test time; a small __consumer_offsets.</summary>
    public static string[] BrokerArgs(params string[] extra) =>
    [
        "--group.initial.rebalance.delay.ms=300",
        "--group.min.session.timeout.ms=1000",
        "--offsets.topic.num.partitions=3",
        "--offsets.topic.segment.bytes=1048576",
        "--log.segment.bytes=1048576",
        .. extra,
    ];

    public static IConsumer<byte[], byte[]> Member(string bootstrap, string group, Action<ConsumerConfig>? configure = null,
        Action<ConsumerBuilder<byte[], byte[]>>? build = null)
    {
        BundledLibrdkafka.EnsureLoaded();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
            TopicMetadataRefreshIntervalMs = 1000,
        };
        configure?.Invoke(config);
        var builder = new ConsumerBuilder<byte[], byte[]>(config);
        build?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>Polls every consumer (each on the calling thread, round robin) until <paramref name="done"/> holds.</summary>
    public static bool PollUntil(IReadOnlyList<IConsumer<byte[], byte[]>> consumers, Func<bool> done, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            foreach (IConsumer<byte[], byte[]> c in consumers)
            {
                c.Consume(TimeSpan.FromMilliseconds(20));
            }
            if (done())
            {
                return true;
            }
        }
        return false;
    }

    public static bool Disjoint(IEnumerable<IConsumer<byte[], byte[]>> consumers, int partitions)
    {
        var all = consumers.SelectMany(c => c.Assignment.Select(tp => tp.Partition.Value)).ToList();
        return all.Count == partitions && all.Distinct().Count() == partitions;
    }

    public static void Produce(string bootstrap, string topic, int partitions, int perPartition)
    {
        using IProducer<byte[], byte[]> producer = KafkaClients.Producer(bootstrap);
        for (int p = 0; p < partitions; p++)
        {
            for (int i = 0; i < perPartition; i++)
            {
                producer.Produce(new TopicPartition(topic, p), new Message<byte[], byte[]> { Value = BitConverter.GetBytes(i) });
            }
        }
        producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits until <paramref name="condition"/> holds, sleeping between checks.</summary>
    public static bool Eventually(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }
            Thread.Sleep(100);
        }
        return condition();
    }
}
