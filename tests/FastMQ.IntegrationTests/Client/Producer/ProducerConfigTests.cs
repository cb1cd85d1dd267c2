using System;
using System.Text;
using FastMQ.Client;
using FastMQ.IntegrationTests.Support;
using FastMQ.Protocol.Records;
using Xunit;
using FmProducer = FastMQ.Client.Producer;
using FmProducerConfig = FastMQ.Client.ProducerConfig;

namespace FastMQ.IntegrationTests.Client.Producer;

/// <summary>Producer settings by Kafka name, their validation, and back-pressure under a tiny buffer.memory.</summary>
public sealed class ProducerConfigTests : IClassFixture<ProducerConfigTests.Broker>
{
    public sealed class Broker : IDisposable
    {
        public BrokerProcess Process { get; } = new();

        public void Dispose() => Process.Dispose();
    }

    private readonly BrokerProcess _broker;

    public ProducerConfigTests(Broker fixture) => _broker = fixture.Process;

    // Goal: Kafka property names set the matching settings. Method: Set each name and read the property back.
    [Fact]
    public void KafkaNames_SetProperties()
    {
        var c = new FmProducerConfig();
        c.Set("bootstrap.servers", "h1:1,h2:2");
        c.Set("client.id", "me");
        c.Set("linger.ms", "7");
        c.Set("batch.size", "65536");
        c.Set("buffer.memory", "1048576");
        c.Set("acks", "1");
        c.Set("compression.type", "zstd");
        c.Set("enable.idempotence", "false");
        c.Set("max.in.flight.requests.per.connection", "3");
        c.Set("retries", "4");
        c.Set("retry.backoff.ms", "50");
        c.Set("delivery.timeout.ms", "9000");
        c.Set("request.timeout.ms", "8000");
        c.Set("partitioner", "murmur2_random");
        Assert.Equal(("h1:1,h2:2", "me", 7.0, 65536, 1048576L), (c.BootstrapServers, c.ClientId, c.Linger.TotalMilliseconds, c.BatchSize, c.BufferMemory));
        Assert.Equal((Acks.Leader, FastMQ.Client.CompressionType.Zstd, false, 3, 4), (c.Acks, c.CompressionType, c.EnableIdempotence, c.MaxInFlightRequestsPerConnection, c.Retries));
        Assert.Equal((50.0, 9000.0, 8000.0), (c.RetryBackoff.TotalMilliseconds, c.DeliveryTimeout.TotalMilliseconds, c.RequestTimeout.TotalMilliseconds));
    }

    // Goal: unknown names and bad values fail with a message naming the property. Method: Set bad pairs, check the exception.
    [Theory]
    [InlineData("linger.mss", "5", "linger.mss")]
    [InlineData("Linger.ms", "5", "Linger.ms")]
    [InlineData("linger.ms", "soon", "linger.ms")]
    [InlineData("acks", "2", "acks")]
    [InlineData("compression.type", "brotli", "compression.type")]
    [InlineData("enable.idempotence", "yes", "enable.idempotence")]
    [InlineData("bootstrap.servers", "host:99999", "bootstrap.servers")]
    [InlineData("partitioner", "consistent", "partitioner")]
    public void BadNameOrValue_Throws(string name, string value, string named)
    {
        var c = new FmProducerConfig();
        ArgumentException e = Assert.Throws<ArgumentException>(() => c.Set(name, value));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    // Goal: inconsistent settings are refused before connecting. Method: idempotence with acks=1, and with 6 in flight.
    [Fact]
    public void IdempotenceRules_Enforced()
    {
        ArgumentException e1 = Assert.Throws<ArgumentException>(() =>
            new FmProducer(new FmProducerConfig { BootstrapServers = _broker.BootstrapServers, Acks = Acks.Leader }));
        Assert.Contains("acks", e1.Message, StringComparison.Ordinal);
        ArgumentException e2 = Assert.Throws<ArgumentException>(() =>
            new FmProducer(new FmProducerConfig { BootstrapServers = _broker.BootstrapServers, MaxInFlightRequestsPerConnection = 6 }));
        Assert.Contains("max.in.flight", e2.Message, StringComparison.Ordinal);
    }

    // Goal: TryProduce reports Full instead of blocking when buffer.memory is used up, and Produce waits instead.
    // Method: buffer.memory = one 16 KiB buffer, linger 30 s; fill one partition, then TryProduce to another → Full
    // and nothing queued; a blocking Produce there succeeds once the first batch is sent (the waiter makes the sender
    // seal at once); after Flush every accepted record was delivered.
    [Fact]
    public void TinyBufferMemory_TryProduceFull_ProduceWaits()
    {
        string topic = "fm-full";
        KafkaClients.CreateTopic(_broker.BootstrapServers, topic, 2);
        var handler = new RecordingHandler();
        using FmProducer producer = ProducerTestSupport.Create(_broker.BootstrapServers, c =>
        {
            c.BufferMemory = 16 * 1024;
            c.Linger = TimeSpan.FromSeconds(30);
            c.MaxBlock = TimeSpan.FromSeconds(20);
        });
        byte[] value = new byte[100];
        Assert.Equal(ProduceStatus.Enqueued, producer.TryProduce(topic, 0, RecordBytes.Null, value, default, handler, 1));
        Assert.Equal(ProduceStatus.Full, producer.TryProduce(topic, 1, RecordBytes.Null, value, default, handler, 2));
        Assert.Equal(16 * 1024, producer.BufferedBytes);
        producer.Produce(topic, 1, RecordBytes.Null, value, default, handler, 3);
        Assert.True(producer.Flush(TimeSpan.FromSeconds(20)));
        var states = handler.Snapshot().ConvertAll(r => r.State);
        states.Sort();
        Assert.Equal([1L, 3L], states);
        Assert.Equal(0, producer.BufferedBytes);
    }

    // Goal: producing to a topic the broker does not have fails clearly. Method: auto-creation is never requested;
    // Produce to a missing topic throws ProduceException naming it and UNKNOWN_TOPIC_OR_PARTITION.
    [Fact]
    public void UnknownTopic_Throws()
    {
        using FmProducer producer = ProducerTestSupport.Create(_broker.BootstrapServers);
        ProduceException e = Assert.Throws<ProduceException>(() => producer.Produce("no-such-topic-" + Guid.NewGuid().ToString("N"),
            RecordBytes.Null, Encoding.UTF8.GetBytes("x")));
        Assert.Contains("no-such-topic", e.Message, StringComparison.Ordinal);
    }
}
