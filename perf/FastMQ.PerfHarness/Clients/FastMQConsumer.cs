using System;
using System.Collections.Generic;
using FastMQ.Client;

namespace FastMQ.PerfHarness.Clients;

/// <summary><see cref="IPerfConsumer"/> over FastMQ.Client's <see cref="Consumer"/>: hand-assigned partitions from the beginning.</summary>
internal sealed class FastMQConsumer : IPerfConsumer
{
    private readonly Consumer _consumer;

    public FastMQConsumer(string bootstrap)
    {
        var config = new ConsumerConfig();
        config.Set("bootstrap.servers", bootstrap);
        config.Set("client.id", "fastmq-perf");
        config.Set("group.id", "fastmq-perf-" + Guid.NewGuid().ToString("N"));
        config.Set("enable.auto.commit", "false");
        config.Set("auto.offset.reset", "earliest");
        _consumer = new Consumer(config);
    }

    public void AssignFromBeginning(string topic, IReadOnlyList<int> partitions)
    {
        var assignment = new List<TopicPartitionOffset>(partitions.Count);
        foreach (int p in partitions)
        {
            assignment.Add(new TopicPartitionOffset(topic, p, Consumer.OffsetBeginning));
        }
        _consumer.Assign(assignment);
    }

    public int Consume(int timeoutMs, Span<byte> head)
    {
        if (!_consumer.Consume(TimeSpan.FromMilliseconds(timeoutMs), out ConsumeRecord record))
        {
            return -1;
        }
        ReadOnlySpan<byte> v = record.Value;
        v[..Math.Min(v.Length, head.Length)].CopyTo(head);
        return v.Length;
    }

    public void Dispose() => _consumer.Dispose();
}
