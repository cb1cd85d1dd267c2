using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using FastMQ.Protocol.Records;
using FmConsumer = FastMQ.Client.Consumer;
using FmConsumerConfig = FastMQ.Client.ConsumerConfig;
using FmRecord = FastMQ.Client.ConsumeRecord;

namespace FastMQ.IntegrationTests.Client.Consumer;

/// <summary>FastMQ.Client consumers for tests against a broker process, and helpers to copy what they return.</summary>
internal static class ConsumerTestSupport
{
    public static FmConsumer Create(string bootstrap, string? group = null, Action<FmConsumerConfig>? configure = null)
    {
        var config = new FmConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            AutoOffsetReset = FastMQ.Client.AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeout = TimeSpan.FromSeconds(6),
            HeartbeatInterval = TimeSpan.FromMilliseconds(500),
            FetchMaxWait = TimeSpan.FromMilliseconds(100),
        };
        configure?.Invoke(config);
        return new FmConsumer(config);
    }

    public static ConsumedRecord Copy(in FmRecord r)
    {
        var headers = new List<KeyValuePair<string, byte[]?>>();
        foreach (RecordHeader h in r.Headers)
        {
            headers.Add(new(Encoding.UTF8.GetString(h.Key), h.IsValueNull ? null : h.Value.ToArray()));
        }
        return new ConsumedRecord(r.Topic, r.Partition, r.Offset, r.TimestampMs, r.IsKeyNull ? null : r.Key.ToArray(),
            r.IsValueNull ? null : r.Value.ToArray(), headers);
    }

    /// <summary>Consumes until <paramref name="count"/> records arrived or <paramref name="timeout"/> passed.</summary>
    public static List<ConsumedRecord> Take(FmConsumer consumer, int count, TimeSpan timeout)
    {
        var list = new List<ConsumedRecord>(Math.Min(count, 1024));
        var sw = Stopwatch.StartNew();
        while (list.Count < count && sw.Elapsed < timeout)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100), out FmRecord r))
            {
                list.Add(Copy(r));
            }
        }
        return list;
    }

    /// <summary>Consumes for <paramref name="duration"/> and returns everything that arrived.</summary>
    public static List<ConsumedRecord> Drain(FmConsumer consumer, TimeSpan duration) => Take(consumer, int.MaxValue, duration);
}
