using System;
using System.Collections.Generic;
using System.Linq;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using Xunit;

namespace FastMQ.IntegrationTests.Transport;

/// <summary>A broker on the io_uring transport stops gracefully (listeners and rings released) and restarts on the same port.</summary>
public sealed class UringRestartTests
{
    // Goal: SIGTERM with io_uring connections open ends cleanly (exit 0, clean marker) and the restarted broker binds
    // the same port again and serves everything. Method: produce 2,000 records to 2 partitions, keep a producer
    // connected while stopping, restart on the same data directory and port, read everything back.
    [Fact]
    public void GracefulRestart_KeepsEverything()
    {
        using var broker = new BrokerProcess(["--fastmq.shards=2", UringTransportTests.Backend]);
        KafkaClients.CreateTopic(broker.BootstrapServers, "uring-restart", 2);
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(broker.BootstrapServers))
        {
            for (int i = 0; i < 2000; i++)
            {
                producer.Produce("uring-restart", new Message<byte[], byte[]> { Key = BitConverter.GetBytes(i % 13), Value = BitConverter.GetBytes(i) });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, broker.StopGracefully());
        }
        Assert.Contains("FastMQ broker stopped cleanly", broker.Output, StringComparison.Ordinal);
        broker.Start();
        Assert.DoesNotContain("by scanning", broker.Output, StringComparison.Ordinal);
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(broker.BootstrapServers, "uring-restart", 2, 2000, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 2000).ToArray(), got.Select(r => BitConverter.ToInt32(r.Message.Value)).Order().ToArray());
    }
}
