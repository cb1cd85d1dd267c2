using System;
using System.Collections.Generic;
using System.Linq;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using Xunit;

namespace FastMQ.IntegrationTests;

/// <summary>Data survives a graceful restart and a kill -9; an idempotent producer keeps exactly-once order across a restart.</summary>
public sealed class RestartTests
{
    // Goal: everything acknowledged before a graceful stop (SIGTERM) is readable after the restart, and the stop is
    // clean (exit 0, no recovery scan). Method: produce 2,000 records to 4 partitions, stop, start on the same data
    // directory, read all back.
    [Fact]
    public void GracefulRestart_KeepsEverything_AndSkipsRecovery()
    {
        using var broker = new BrokerProcess();
        KafkaClients.CreateTopic(broker.BootstrapServers, "r1", 4);
        Produce(broker, "r1", 2000);
        Assert.Equal(0, broker.StopGracefully());
        Assert.Contains("FastMQ broker stopped cleanly", broker.Output, StringComparison.Ordinal);
        broker.Start();
        Assert.DoesNotContain("by scanning", broker.Output, StringComparison.Ordinal);
        AssertAllThere(broker, "r1", 4, 2000);
    }

    // Goal: with fsync-before-ack, every acknowledged record survives SIGKILL. Method: produce with acks=all to a topic
    // whose flush.policy is fsync, kill -9 right after the last acknowledgement, restart, read everything back.
    [Fact]
    public void KillMinus9_KeepsEveryAcknowledgedRecord()
    {
        using var broker = new BrokerProcess();
        KafkaClients.CreateTopic(broker.BootstrapServers, "r2", 3, new() { ["flush.policy"] = "fsync" });
        Produce(broker, "r2", 3000);
        broker.Kill();
        broker.Start();
        Assert.Contains("by scanning", broker.Output, StringComparison.Ordinal);
        AssertAllThere(broker, "r2", 3, 3000);
    }

    // Goal: the idempotent producer neither duplicates nor reorders across a broker restart. Method: an idempotent
    // producer sends 1,000 numbered records, the broker restarts gracefully in the middle (the producer retries on
    // its own), then every number appears exactly once and in order.
    [Fact]
    public void IdempotentProducer_AcrossRestart_NoDuplicatesNoReordering()
    {
        using var broker = new BrokerProcess();
        KafkaClients.CreateTopic(broker.BootstrapServers, "idem", 1);
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(broker.BootstrapServers, c =>
        {
            c.EnableIdempotence = true;
            c.MessageTimeoutMs = 60000;
        }))
        {
            for (int i = 0; i < 1000; i++)
            {
                producer.Produce("idem", new Message<byte[], byte[]> { Value = BitConverter.GetBytes(i) });
                if (i == 500)
                {
                    producer.Flush(TimeSpan.FromSeconds(30));
                    Assert.Equal(0, broker.StopGracefully());
                    broker.Start();
                }
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(broker.BootstrapServers, "idem", 1, 1000, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 1000).ToArray(), got.Select(r => BitConverter.ToInt32(r.Message.Value)).ToArray());
    }

    private static void Produce(BrokerProcess broker, string topic, int count)
    {
        using IProducer<byte[], byte[]> producer = KafkaClients.Producer(broker.BootstrapServers);
        int acked = 0;
        for (int i = 0; i < count; i++)
        {
            producer.Produce(topic, new Message<byte[], byte[]> { Key = BitConverter.GetBytes(i % 97), Value = BitConverter.GetBytes(i) }, dr =>
            {
                if (dr.Error.IsError)
                {
                    throw new InvalidOperationException(dr.Error.Reason);
                }
                System.Threading.Interlocked.Increment(ref acked);
            });
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        Assert.Equal(count, acked);
    }

    private static void AssertAllThere(BrokerProcess broker, string topic, int partitions, int count)
    {
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(broker.BootstrapServers, topic, partitions, count, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, count).ToArray(), got.Select(r => BitConverter.ToInt32(r.Message.Value)).Order().ToArray());
    }
}
