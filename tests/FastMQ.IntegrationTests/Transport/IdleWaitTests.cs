using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading.Tasks;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FastMQ.IntegrationTests.Transport;

/// <summary>An idle shard sleeps on events (no spinning by default) yet never past work that is due at a known time.</summary>
public sealed class IdleWaitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task GroupCommit_WithAOneSecondIdleWait_AcknowledgesAtTheCommitInterval()
    {
        // Goal: the group-commit fdatasync is issued when its interval ends even though no completion announces that
        // moment (the shard reports it with Shard.PollBy). Method: a broker whose idle shards may sleep a whole second
        // (fastmq.shard.idle.wait.us=1000000), flush.policy=group with flush.ms=2; 30 acks=all produces one at a time
        // on an otherwise idle broker. The median acknowledgement must stay near flush.ms + one fdatasync (asserted
        // < 20 ms; measured 5.9 ms): without the deadline the fdatasync waited for the next unrelated wake-up, the
        // group coordinator's 50 ms tick (median 44 ms), and with no such tick for the full second.
        using var broker = new BrokerProcess([
            "--fastmq.shards=2", "--fastmq.network.backend=io_uring", "--fastmq.shard.idle.wait.us=1000000",
            "--log.flush.policy=group", "--log.flush.interval.ms=2",
        ]);
        KafkaClients.CreateTopic(broker.BootstrapServers, "idle-wait", 2);
        using IProducer<byte[], byte[]> producer = KafkaClients.Producer(broker.BootstrapServers, c => c.LingerMs = 0);
        producer.Produce("idle-wait", new Message<byte[], byte[]> { Value = Encoding.ASCII.GetBytes("warm-up") });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        var latenciesMs = new List<double>();
        for (int i = 0; i < 30; i++)
        {
            long start = Stopwatch.GetTimestamp();
            DeliveryResult<byte[], byte[]> r = await producer.ProduceAsync("idle-wait",
                new Message<byte[], byte[]> { Value = Encoding.ASCII.GetBytes($"m{i}") });
            latenciesMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            Assert.Equal(PersistenceStatus.Persisted, r.Status);
        }
        latenciesMs.Sort();
        output.WriteLine($"acks=all latency ms min {latenciesMs[0]:F1} median {latenciesMs[15]:F1} max {latenciesMs[^1]:F1}");
        Assert.True(latenciesMs[15] < 20, $"median acknowledgement {latenciesMs[15]:F1} ms: the shard slept past the group-commit deadline");
    }
}
