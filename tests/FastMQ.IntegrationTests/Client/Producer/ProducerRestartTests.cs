using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using Xunit;
using FmProducer = FastMQ.Client.Producer;

namespace FastMQ.IntegrationTests.Client.Producer;

/// <summary>The idempotent producer across a broker crash: retries neither duplicate nor reorder records.</summary>
public sealed class ProducerRestartTests
{
    // Goal: with idempotence on, a kill -9 of the broker mid-stream loses, duplicates and reorders nothing. Method: a
    // thread produces 40,000 records (10 keys, value = sequence number) to a 3-partition topic; after 15,000 the broker
    // is killed with SIGKILL and restarted on the same port and data directory; the producer reconnects and resends on
    // its own. Every record must be reported delivered, Confluent.Kafka must read each value exactly once, and per key
    // the values must come in increasing order.
    [Fact]
    public void KillNine_MidStream_EveryRecordOnceInOrder()
    {
        using var broker = new BrokerProcess(["--fastmq.shards=2"]);
        const string Topic = "fm-restart";
        const int Total = 40_000;
        KafkaClients.CreateTopic(broker.BootstrapServers, Topic, 3);
        var handler = new RecordingHandler();
        using (FmProducer producer = ProducerTestSupport.Create(broker.BootstrapServers, c =>
        {
            c.Linger = TimeSpan.FromMilliseconds(5);
            c.BatchSize = 16 * 1024;
            c.RetryBackoff = TimeSpan.FromMilliseconds(50);
            c.DeliveryTimeout = TimeSpan.FromSeconds(90);
        }))
        {
            var killed = new ManualResetEventSlim();
            var producing = new Thread(() =>
            {
                for (int i = 0; i < Total; i++)
                {
                    producer.Produce(Topic, Encoding.UTF8.GetBytes($"k{i % 10}"), Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)),
                        default, handler, i);
                    if (i == 15_000)
                    {
                        killed.Wait();
                    }
                    if (i % 500 == 0)
                    {
                        Thread.Sleep(2); // spread the stream over time so the crash lands mid-flight
                    }
                }
            });
            producing.Start();
            while (handler.Count < 5_000)
            {
                Thread.Sleep(5);
            }
            Thread.Sleep(20);
            broker.Kill();
            killed.Set();
            Thread.Sleep(500);
            broker.Start();
            producing.Join();
            Assert.True(producer.Flush(TimeSpan.FromSeconds(60)), $"only {handler.Count} of {Total} delivered");
        }
        List<RecordingHandler.Delivered> reports = handler.Snapshot();
        Assert.Equal(Total, reports.Count);
        Assert.All(reports, r => Assert.Equal(FastMQ.Protocol.Messages.ErrorCode.None, r.Error));
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(broker.BootstrapServers, Topic, 3, Total + 1, TimeSpan.FromSeconds(20));
        Assert.Equal(Total, got.Count);
        var seen = new bool[Total];
        var last = new Dictionary<string, int>();
        got.Sort((a, b) => a.Partition.Value != b.Partition.Value ? a.Partition.Value.CompareTo(b.Partition.Value) : a.Offset.Value.CompareTo(b.Offset.Value));
        foreach (ConsumeResult<byte[], byte[]> r in got)
        {
            int value = int.Parse(Encoding.UTF8.GetString(r.Message.Value), CultureInfo.InvariantCulture);
            Assert.False(seen[value], $"value {value} stored twice");
            seen[value] = true;
            string key = Encoding.UTF8.GetString(r.Message.Key);
            if (last.TryGetValue(key, out int previous))
            {
                Assert.True(value > previous, $"key {key}: {value} after {previous}");
            }
            last[key] = value;
        }
    }
}
