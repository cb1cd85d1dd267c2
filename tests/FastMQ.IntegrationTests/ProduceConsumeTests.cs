using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.IntegrationTests;

/// <summary>
/// Confluent.Kafka 2.16 (its bundled librdkafka) producing to and consuming from a real fastmq-server process over
/// loopback: every codec, keyed placement and order, large messages, many partitions, idempotence.
/// </summary>
public sealed class ProduceConsumeTests : IClassFixture<ProduceConsumeTests.Broker>
{
    public sealed class Broker : IDisposable
    {
        public BrokerProcess Process { get; } = new(["--fastmq.shards=2"]);

        public void Dispose() => Process.Dispose();
    }

    private readonly BrokerProcess _broker;

    public ProduceConsumeTests(Broker fixture) => _broker = fixture.Process;

    // Goal: every codec round-trips through the broker unchanged. Method: produce 300 keyed records per codec to a
    // 3-partition topic, read everything back from the beginning and compare keys, values and headers.
    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void RoundTrip_EveryCodec(CompressionType codec)
    {
        string topic = "codec-" + codec.ToString().ToLowerInvariant();
        KafkaClients.CreateTopic(_broker.BootstrapServers, topic, 3);
        var sent = new Dictionary<string, string>();
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(_broker.BootstrapServers, c => c.CompressionType = codec))
        {
            for (int i = 0; i < 300; i++)
            {
                string key = $"key-{i}";
                string value = $"value-{i}-" + new string('x', i % 50);
                sent[key] = value;
                var headers = new Headers { { "h", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) } };
                producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value), Headers = headers });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, topic, 3, 300, TimeSpan.FromSeconds(30));
        Assert.Equal(300, got.Count);
        foreach (ConsumeResult<byte[], byte[]> r in got)
        {
            string key = Encoding.UTF8.GetString(r.Message.Key);
            Assert.Equal(sent[key], Encoding.UTF8.GetString(r.Message.Value));
            Assert.Equal(key["key-".Length..], Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("h")));
        }
        Assert.Equal(300, got.Select(r => Encoding.UTF8.GetString(r.Message.Key)).Distinct().Count());
    }

    // Goal: the Java client's key → partition mapping holds and order is kept per key. Method: produce 40 keys × 25
    // numbered records with librdkafka's murmur2 partitioner, then check each record's partition against FastMQ's
    // Murmur2 (whose Java vectors are in Protocol.Tests) and that each key's sequence numbers arrive in order.
    [Fact]
    public void KeyedRecords_LandOnMurmur2Partition_InOrder()
    {
        const string topic = "keyed";
        const int partitions = 6;
        KafkaClients.CreateTopic(_broker.BootstrapServers, topic, partitions);
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(_broker.BootstrapServers))
        {
            for (int seq = 0; seq < 25; seq++)
            {
                for (int k = 0; k < 40; k++)
                {
                    producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"user-{k}"), Value = BitConverter.GetBytes(seq) });
                }
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, topic, partitions, 1000, TimeSpan.FromSeconds(30));
        Assert.Equal(1000, got.Count);
        foreach (IGrouping<string, ConsumeResult<byte[], byte[]>> byKey in got.GroupBy(r => Encoding.UTF8.GetString(r.Message.Key)))
        {
            int expectedPartition = Murmur2.Partition(Encoding.UTF8.GetBytes(byKey.Key), partitions);
            Assert.All(byKey, r => Assert.Equal(expectedPartition, r.Partition.Value));
            int[] sequence = byKey.OrderBy(r => r.Offset.Value).Select(r => BitConverter.ToInt32(r.Message.Value)).ToArray();
            Assert.Equal(Enumerable.Range(0, 25).ToArray(), sequence);
        }
    }

    // Goal: 1 MiB messages pass when the topic allows them, and are refused with MESSAGE_TOO_LARGE when it does not.
    // Method: a topic with max.message.bytes = 2 MiB takes five 1 MiB values intact; a topic with the default limit
    // answers the producer with MsgSizeTooLarge.
    [Fact]
    public async Task OneMiBMessages_RoundTrip_AndOversizedAreRefused()
    {
        KafkaClients.CreateTopic(_broker.BootstrapServers, "big", 1, new() { ["max.message.bytes"] = "2097152" });
        KafkaClients.CreateTopic(_broker.BootstrapServers, "small", 1, new() { ["max.message.bytes"] = "65536" });
        byte[] value = new byte[1 << 20];
        new Random(7).NextBytes(value);
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(_broker.BootstrapServers, c => c.MessageMaxBytes = 4 << 20))
        {
            for (int i = 0; i < 5; i++)
            {
                DeliveryResult<byte[], byte[]> dr = await producer.ProduceAsync("big", new Message<byte[], byte[]> { Key = [(byte)i], Value = value });
                Assert.Equal(PersistenceStatus.Persisted, dr.Status);
            }
            ProduceException<byte[], byte[]> refused = await Assert.ThrowsAsync<ProduceException<byte[], byte[]>>(() =>
producer.ProduceAsync("small", new Message<byte[], byte[]> { Value = value }));
            Assert.Equal(ErrorCode.MsgSizeTooLarge, refused.Error.Code);
        }
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, "big", 1, 5, TimeSpan.FromSeconds(30),
            c => c.MaxPartitionFetchBytes = 4 << 20);
        Assert.Equal(5, got.Count);
        Assert.All(got, r => Assert.Equal(value, r.Message.Value));
    }

    // Goal: a topic with 1,000 partitions works end to end. Method: create it (small segments), produce one record to
    // each partition explicitly, read all 1,000 back and check each came from its own partition.
    [Fact]
    public void ThousandPartitions_EachReadable()
    {
        const string topic = "wide";
        KafkaClients.CreateTopic(_broker.BootstrapServers, topic, 1000, new() { ["segment.bytes"] = "1048576" });
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(_broker.BootstrapServers, c => c.LingerMs = 20))
        {
            for (int p = 0; p < 1000; p++)
            {
                producer.Produce(new TopicPartition(topic, p), new Message<byte[], byte[]> { Value = BitConverter.GetBytes(p) });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, topic, 1000, 1000, TimeSpan.FromSeconds(60));
        Assert.Equal(1000, got.Count);
        Assert.All(got, r => Assert.Equal(r.Partition.Value, BitConverter.ToInt32(r.Message.Value)));
    }

    // Goal: ListOffsets answers earliest, latest and by timestamp. Method: produce 10 records with known timestamps,
    // then ask for watermarks and for the offset of the 6th record's timestamp.
    [Fact]
    public async Task ListOffsets_EarliestLatestAndByTimestamp()
    {
        const string topic = "offsets";
        KafkaClients.CreateTopic(_broker.BootstrapServers, topic, 1);
        long baseTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 100_000;
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(_broker.BootstrapServers, c => c.LingerMs = 0))
        {
            for (int i = 0; i < 10; i++)
            {
                // One record per batch so the batch-granular time index finds the exact record.
                await producer.ProduceAsync(topic, new Message<byte[], byte[]> { Value = [(byte)i], Timestamp = new Timestamp(baseTs + (i * 1000), TimestampType.CreateTime) });
            }
        }
        using IConsumer<byte[], byte[]> consumer = KafkaClients.Consumer(_broker.BootstrapServers);
        WatermarkOffsets w = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10));
        Assert.Equal(0, w.Low.Value);
        Assert.Equal(10, w.High.Value);
        List<TopicPartitionOffset> byTime = consumer.OffsetsForTimes(
            [new TopicPartitionTimestamp(topic, 0, new Timestamp(baseTs + 5000, TimestampType.CreateTime))], TimeSpan.FromSeconds(10));
        Assert.Equal(5, byTime[0].Offset.Value);
        List<TopicPartitionOffset> future = consumer.OffsetsForTimes(
            [new TopicPartitionTimestamp(topic, 0, new Timestamp(baseTs + 1_000_000, TimestampType.CreateTime))], TimeSpan.FromSeconds(10));
        Assert.Equal(Offset.End, future[0].Offset);
    }
}
