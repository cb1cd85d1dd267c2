using System;
using System.Collections.Generic;
using Confluent.Kafka;

namespace FastMQ.PerfHarness.Clients;

/// <summary><see cref="IPerfConsumer"/> over Confluent.Kafka: hand-assigned partitions, one <c>Consume</c> per message.</summary>
internal sealed class ConfluentConsumer : IPerfConsumer
{
    private readonly IConsumer<Ignore, byte[]> _consumer;

    public ConfluentConsumer(ConsumerConfig config) => _consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();

    public void AssignFromBeginning(string topic, IReadOnlyList<int> partitions)
    {
        var assignment = new List<TopicPartitionOffset>(partitions.Count);
        foreach (int p in partitions)
        {
            assignment.Add(new TopicPartitionOffset(topic, p, Offset.Beginning));
        }
        _consumer.Assign(assignment);
    }

    public int Consume(int timeoutMs, Span<byte> head)
    {
        ConsumeResult<Ignore, byte[]>? r = _consumer.Consume(timeoutMs);
        if (r?.Message?.Value is not byte[] v)
        {
            return -1;
        }
        v.AsSpan(0, Math.Min(v.Length, head.Length)).CopyTo(head);
        return v.Length;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
