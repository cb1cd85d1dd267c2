using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Hardening;
using FastMQ.IntegrationTests.Support;
using Xunit;

namespace FastMQ.IntegrationTests.Transport;

/// <summary>
/// The shard-driven io_uring network transport (fastmq.network.backend=io_uring) against a real fastmq-server process:
/// Confluent.Kafka round trips, a 1 MiB message, pipelined requests past the in-flight limit, oversized frames, and
/// a graceful restart.
/// </summary>
public sealed class UringTransportTests : IClassFixture<UringTransportTests.Broker>
{
    internal const string Backend = "--fastmq.network.backend=io_uring";
    private const int MaxRequestBytes = 4 * 1024 * 1024;

    public sealed class Broker : IDisposable
    {
        public BrokerProcess Process { get; } = new(["--fastmq.shards=2", Backend, $"--socket.request.max.bytes={MaxRequestBytes}"]);

        public void Dispose() => Process.Dispose();
    }

    private readonly BrokerProcess _broker;

    public UringTransportTests(Broker fixture) => _broker = fixture.Process;

    // Goal: the broker really runs the io_uring transport and serves produce and fetch through it. Method: check the
    // start-up log names the transport, produce 600 keyed records to 3 partitions with Confluent.Kafka from two
    // producers (so connections land on both shards' listeners), read all back and compare.
    [Fact]
    public void ProduceConsume_RoundTrip()
    {
        Assert.Contains("io_uring transport, 2 listener(s)", _broker.Output, StringComparison.Ordinal);
        KafkaClients.CreateTopic(_broker.BootstrapServers, "uring-rt", 3);
        var sent = new Dictionary<string, string>();
        for (int p = 0; p < 2; p++)
        {
            using IProducer<byte[], byte[]> producer = KafkaClients.Producer(_broker.BootstrapServers, c => c.LingerMs = 5);
            for (int i = 0; i < 300; i++)
            {
                string key = $"k-{p}-{i}";
                string value = $"v-{p}-{i}-" + new string('x', i % 40);
                sent[key] = value;
                producer.Produce("uring-rt", new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value) });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, "uring-rt", 3, 600, TimeSpan.FromSeconds(30));
        Assert.Equal(600, got.Count);
        foreach (ConsumeResult<byte[], byte[]> r in got)
        {
            Assert.Equal(sent[Encoding.UTF8.GetString(r.Message.Key)], Encoding.UTF8.GetString(r.Message.Value));
        }
    }

    // Goal: a frame larger than the receive buffer (grown in place) and a fetch response of the same size (SEND of a
    // large buffer, or sendfile with POLLOUT) both work. Method: produce one 1 MiB random value, consume it, compare.
    [Fact]
    public async System.Threading.Tasks.Task OneMiBMessage_RoundTrip()
    {
        KafkaClients.CreateTopic(_broker.BootstrapServers, "uring-big", 1, new() { ["max.message.bytes"] = "2000000" });
        byte[] value = new byte[1024 * 1024];
        new Random(42).NextBytes(value);
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(_broker.BootstrapServers, c => c.MessageMaxBytes = 2_000_000))
        {
            DeliveryResult<byte[], byte[]> dr = await producer.ProduceAsync("uring-big", new Message<byte[], byte[]> { Value = value });
            Assert.Equal(PersistenceStatus.Persisted, dr.Status);
        }
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, "uring-big", 1, 1, TimeSpan.FromSeconds(30),
            c => c.FetchMaxBytes = 4_000_000);
        Assert.Single(got);
        Assert.True(value.AsSpan().SequenceEqual(got[0].Message.Value), "the 1 MiB value came back changed");
    }

    // Goal: responses leave in request order and back-pressure (64 requests in flight) neither drops nor reorders.
    // Method: write 300 ApiVersions requests back to back on one raw connection, then read 300 responses and check
    // their correlation ids are 0..299 in order.
    [Fact]
    public void PipelinedRequests_PastInFlightLimit_AnsweredInOrder()
    {
        using var c = new RawKafkaConnection(_broker.Port);
        var all = new List<byte>();
        for (int i = 0; i < 300; i++)
        {
            all.AddRange(KafkaRequests.ApiVersions(3, i));
        }
        c.Send(all.ToArray());
        for (int i = 0; i < 300; i++)
        {
            byte[] frame = c.ReceiveFrame();
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(frame));
        }
    }

    // Goal: an oversized or negative frame size closes the connection with the logged reason and other connections
    // keep working. Method: announce 512 MiB (limit 4 MiB), then -1, on raw connections; each must close within
    // 2 s; then an ApiVersions round trip on a fresh connection must succeed.
    [Fact]
    public void OversizedFrame_ClosesConnection()
    {
        foreach (int size in new[] { 512 * 1024 * 1024, -1 })
        {
            using var bad = new RawKafkaConnection(_broker.Port);
            byte[] payload = new byte[4 + 4096];
            BinaryPrimitives.WriteInt32BigEndian(payload, size);
            bad.TrySend(payload);
            TimeSpan? closedAfter = bad.WaitForClose(5_000);
            Assert.True(closedAfter is not null && closedAfter < TimeSpan.FromSeconds(2), $"frame size {size}: closed after {closedAfter}");
            AssertLogged($"frame size {size} outside [8, {MaxRequestBytes}]");
        }
        using var good = new RawKafkaConnection(_broker.Port);
        byte[] response = good.RoundTrip(KafkaRequests.ApiVersions(3, 77));
        Assert.Equal(77, BinaryPrimitives.ReadInt32BigEndian(response));
    }

    private void AssertLogged(string text)
    {
        // The log line travels through a pipe and an asynchronous reader: wait for it (bounded), then assert.
        _broker.WaitForOutput(text);
        Assert.Contains(text, _broker.Output, StringComparison.Ordinal);
    }
}
