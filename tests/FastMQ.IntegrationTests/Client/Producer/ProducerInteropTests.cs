using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using Confluent.Kafka;
using FastMQ.Client;
using FastMQ.IntegrationTests.Support;
using FastMQ.Protocol.Primitives;
using FastMQ.Protocol.Records;
using Xunit;
using Acks = FastMQ.Client.Acks;
using FmCompression = FastMQ.Client.CompressionType;
using FmProducer = FastMQ.Client.Producer;

namespace FastMQ.IntegrationTests.Client.Producer;

/// <summary>
/// FastMQ.Client's producer against a real fastmq-server process, checked with Confluent.Kafka 2.16 as the reader:
/// every codec, keyed placement identical to librdkafka's murmur2, per-key order, acks levels, the awaitable API.
/// </summary>
public sealed class ProducerInteropTests : IClassFixture<ProducerInteropTests.Broker>
{
    public sealed class Broker : IDisposable
    {
        public BrokerProcess Process { get; } = new(["--fastmq.shards=2"]);

        public void Dispose() => Process.Dispose();
    }

    private readonly BrokerProcess _broker;

    public ProducerInteropTests(Broker fixture) => _broker = fixture.Process;

    // Goal: every codec produces batches another client reads back unchanged. Method: FastMQ producer writes 500 keyed
    // records with a header per codec to a 3-partition topic; Confluent.Kafka reads all and compares key, value, header.
    [Theory]
    [InlineData(FmCompression.None)]
    [InlineData(FmCompression.Gzip)]
    [InlineData(FmCompression.Snappy)]
    [InlineData(FmCompression.Lz4)]
    [InlineData(FmCompression.Zstd)]
    public void EveryCodec_ReadBackByConfluent(FmCompression codec)
    {
        string topic = "fm-codec-" + codec.ToString().ToLowerInvariant();
        KafkaClients.CreateTopic(_broker.BootstrapServers, topic, 3);
        var sent = new Dictionary<string, string>();
        var handler = new RecordingHandler();
        using (FmProducer producer = ProducerTestSupport.Create(_broker.BootstrapServers, c => c.CompressionType = codec))
        {
            ProduceHeader[] headers = new ProduceHeader[1];
            for (int i = 0; i < 500; i++)
            {
                string key = $"key-{i}";
                string value = $"value-{i}-" + new string((char)('a' + i % 26), i % 300);
                sent[key] = value;
                headers[0] = new ProduceHeader("h", Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)));
                producer.Produce(topic, Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), headers, handler, i);
            }
            Assert.True(producer.Flush(TimeSpan.FromSeconds(30)));
        }
        Assert.Equal(500, handler.Count);
        Assert.All(handler.Snapshot(), r => Assert.Equal(FastMQ.Protocol.Messages.ErrorCode.None, r.Error));
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, topic, 3, 500, TimeSpan.FromSeconds(30));
        Assert.Equal(500, got.Count);
        foreach (ConsumeResult<byte[], byte[]> r in got)
        {
            string key = Encoding.UTF8.GetString(r.Message.Key);
            Assert.Equal(sent[key], Encoding.UTF8.GetString(r.Message.Value));
            Assert.Equal(key["key-".Length..], Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("h")));
        }
    }

    // Goal: same key → same partition as librdkafka's murmur2 partitioner (the Java client's), and per-key order kept.
    // Method: both clients produce the same 200 keys (×5 sequence numbers with FastMQ) to a 7-partition topic; compare
    // each key's partition between the two clients and check FastMQ's values arrive in sequence order per key.
    [Fact]
    public async Task KeyedPlacement_MatchesConfluentMurmur2_AndKeepsOrder()
    {
        string topic = "fm-keyed";
        KafkaClients.CreateTopic(_broker.BootstrapServers, topic, 7);
        var handler = new RecordingHandler();
        var fmPartition = new Dictionary<string, int>();
        using (FmProducer producer = ProducerTestSupport.Create(_broker.BootstrapServers))
        {
            for (int round = 0; round < 5; round++)
            {
                for (int k = 0; k < 200; k++)
                {
                    producer.Produce(topic, Encoding.UTF8.GetBytes($"k{k}"), Encoding.UTF8.GetBytes($"fm:{round}"), default, handler, k);
                }
            }
            Assert.True(producer.Flush(TimeSpan.FromSeconds(30)));
        }
        foreach (RecordingHandler.Delivered d in handler.Snapshot())
        {
            string key = $"k{d.State}";
            Assert.Equal(FastMQ.Protocol.Messages.ErrorCode.None, d.Error);
            if (fmPartition.TryGetValue(key, out int p))
            {
                Assert.Equal(p, d.Partition);
            }
            fmPartition[key] = d.Partition;
        }
        var confluentPartition = new Dictionary<string, int>();
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(_broker.BootstrapServers))
        {
            for (int k = 0; k < 200; k++)
            {
                DeliveryResult<byte[], byte[]> r = await producer.ProduceAsync(topic,
                    new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"k{k}"), Value = Encoding.UTF8.GetBytes("cf") });
                confluentPartition[$"k{k}"] = r.Partition.Value;
            }
        }
        var used = new HashSet<int>();
        for (int k = 0; k < 200; k++)
        {
            Assert.Equal(confluentPartition[$"k{k}"], fmPartition[$"k{k}"]);
            Assert.Equal(Murmur2.Partition(Encoding.UTF8.GetBytes($"k{k}"), 7), fmPartition[$"k{k}"]);
            used.Add(fmPartition[$"k{k}"]);
        }
        Assert.Equal(7, used.Count);
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, topic, 7, 1200, TimeSpan.FromSeconds(30));
        Assert.Equal(1200, got.Count);
        var nextRound = new Dictionary<string, int>();
        got.Sort((a, b) => a.Partition.Value != b.Partition.Value ? a.Partition.Value.CompareTo(b.Partition.Value) : a.Offset.Value.CompareTo(b.Offset.Value));
        foreach (ConsumeResult<byte[], byte[]> r in got)
        {
            string value = Encoding.UTF8.GetString(r.Message.Value);
            if (!value.StartsWith("fm:", StringComparison.Ordinal))
            {
                continue;
            }
            string key = Encoding.UTF8.GetString(r.Message.Key);
            int round = int.Parse(value[3..], CultureInfo.InvariantCulture);
            nextRound.TryGetValue(key, out int expected);
            Assert.Equal(expected, round);
            nextRound[key] = round + 1;
        }
    }

    // Goal: acks 0, 1 and all all deliver, and report offsets where the broker gives them. Method: 1,000 records per
    // level (idempotence off for 0/1); check reports (offsets contiguous from 0 for 1/all, -1 for 0) and read back all.
    [Theory]
    [InlineData(Acks.None)]
    [InlineData(Acks.Leader)]
    [InlineData(Acks.All)]
    public void AcksLevels_Deliver(Acks acks)
    {
        string topic = "fm-acks-" + acks.ToString().ToLowerInvariant();
        KafkaClients.CreateTopic(_broker.BootstrapServers, topic, 1);
        var handler = new RecordingHandler();
        using (FmProducer producer = ProducerTestSupport.Create(_broker.BootstrapServers, c =>
        {
            c.Acks = acks;
            c.EnableIdempotence = acks == Acks.All;
        }))
        {
            for (int i = 0; i < 1000; i++)
            {
                producer.Produce(topic, RecordBytes.Null, Encoding.UTF8.GetBytes($"v{i}"), default, handler, i);
            }
            Assert.True(producer.Flush(TimeSpan.FromSeconds(30)));
        }
        List<RecordingHandler.Delivered> reports = handler.Snapshot();
        Assert.Equal(1000, reports.Count);
        reports.Sort((a, b) => a.State.CompareTo(b.State));
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(FastMQ.Protocol.Messages.ErrorCode.None, reports[i].Error);
            Assert.Equal(acks == Acks.None ? -1 : i, reports[i].Offset);
        }
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, topic, 1, 1000, TimeSpan.FromSeconds(30));
        Assert.Equal(1000, got.Count);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal($"v{i}", Encoding.UTF8.GetString(got[i].Message.Value));
            Assert.Null(got[i].Message.Key);
        }
    }

    // Goal: the awaitable API reports the offset and keeps nulls distinct from empties. Method: ProduceAsync a null key
    // with an empty value and a tombstone (null value) to an explicit partition; read both back with Confluent.
    [Fact]
    public async Task ProduceAsync_ReportsOffsets_NullAndEmpty()
    {
        string topic = "fm-async";
        KafkaClients.CreateTopic(_broker.BootstrapServers, topic, 2);
        await using FmProducer producer = ProducerTestSupport.Create(_broker.BootstrapServers);
        FastMQ.Client.DeliveryResult first = await producer.ProduceAsync(topic, RecordBytes.Null, ReadOnlySpan<byte>.Empty, default, 1);
        FastMQ.Client.DeliveryResult second = await producer.ProduceAsync(topic, Encoding.UTF8.GetBytes("k"), RecordBytes.Null, default, 1);
        Assert.Equal((topic, 1, 0L), (first.Topic, first.Partition, first.Offset));
        Assert.Equal(1L, second.Offset);
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, topic, 2, 2, TimeSpan.FromSeconds(30));
        Assert.Equal(2, got.Count);
        Assert.Null(got[0].Message.Key);
        Assert.Empty(got[0].Message.Value);
        Assert.Equal("k", Encoding.UTF8.GetString(got[1].Message.Key));
        Assert.Null(got[1].Message.Value);
    }
}
