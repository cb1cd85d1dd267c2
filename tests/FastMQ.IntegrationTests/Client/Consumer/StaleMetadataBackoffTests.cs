using System;
using System.Diagnostics;
using System.Threading.Tasks;
using FastMQ.Client;
using FastMQ.IntegrationTests.Metrics;
using FastMQ.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FastMQ.IntegrationTests.Client.Consumer;

/// <summary>A partition without a leader makes the consumer look its metadata up again, at a bounded rate.</summary>
public sealed class StaleMetadataBackoffTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AssignedPartitionOfAMissingTopic_IsLookedUpAboutTenTimesASecond_NotOnEveryConsume()
    {
        // Goal: while an assigned partition has no leader (its topic does not exist yet), Consume neither spins nor
        // floods the broker with Metadata requests, and the partition is read once the topic appears. Method: a broker
        // without auto-creation and with its metrics endpoint; a consumer assigned to a missing topic calls Consume for
        // 3 s; the broker's Metadata request count over that time must stay near one per 100 ms back-off (asserted
        // < 100; without the back-off every Consume iteration sent one: thousands). Then the topic is created, a record
        // produced, and the consumer reads it.
        int metricsPort = BrokerProcess.FreePort();
        using var broker = new BrokerProcess(["--fastmq.shards=2", "--auto.create.topics.enable=false", $"--fastmq.metrics.port={metricsPort}"]);
        using FastMQ.Client.Consumer consumer = ConsumerTestSupport.Create(broker.BootstrapServers);
        consumer.Assign([new TopicPartitionOffset("not-yet", 0, 0)]);
        double before = (await PrometheusScrape.GetAsync(metricsPort)).Value("fastmq_requests_total", ("api", "Metadata")) ?? 0;
        var sw = Stopwatch.StartNew();
        int iterations = 0;
        while (sw.Elapsed < TimeSpan.FromSeconds(3))
        {
            Assert.False(consumer.Consume(TimeSpan.FromMilliseconds(50), out _));
            iterations++;
        }
        double after = (await PrometheusScrape.GetAsync(metricsPort)).Value("fastmq_requests_total", ("api", "Metadata")) ?? 0;
        output.WriteLine($"{after - before} Metadata requests in 3 s over {iterations} Consume calls");
        Assert.True(after - before < 100, $"{after - before} Metadata requests in 3 s");

        KafkaClients.CreateTopic(broker.BootstrapServers, "not-yet", 1);
        using (var producer = KafkaClients.Producer(broker.BootstrapServers))
        {
            await producer.ProduceAsync("not-yet", new Confluent.Kafka.Message<byte[], byte[]> { Value = [1, 2, 3] });
        }
        Assert.Single(ConsumerTestSupport.Take(consumer, 1, TimeSpan.FromSeconds(30)));
    }
}
