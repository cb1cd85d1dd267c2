using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Confluent.Kafka;
using FastMQ.Protocol.Records;
using FastMQ.Tests.Shared;
using Xunit;

namespace FastMQ.Protocol.Tests.Capture;

/// <summary>
/// Produces <see cref="FixtureMessages.All"/> with Confluent.Kafka into a <see cref="FakeKafkaBroker"/> and returns
/// the RecordBatch bytes the client sent, through the librdkafka bundled with the NuGet package
/// (<see cref="BundledLibrdkafka"/>), never a system copy.
/// </summary>
internal static class ConfluentCapture
{
    public static CompressionType ToConfluent(CompressionCodec codec) => codec switch
    {
        CompressionCodec.None => CompressionType.None,
        CompressionCodec.Gzip => CompressionType.Gzip,
        CompressionCodec.Snappy => CompressionType.Snappy,
        CompressionCodec.Lz4 => CompressionType.Lz4,
        CompressionCodec.Zstd => CompressionType.Zstd,
        _ => throw new ArgumentOutOfRangeException(nameof(codec)),
    };

    /// <summary>Runs one producer session and returns the captured batch.</summary>
    public static async Task<byte[]> CaptureAsync(CompressionCodec codec)
    {
        BundledLibrdkafka.EnsureLoaded();
        using var broker = new FakeKafkaBroker();
        var config = new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            CompressionType = ToConfluent(codec),
            // Linger long enough for all five messages to land in one batch.
            LingerMs = 200,
            BatchNumMessages = 1000,
            Acks = Acks.Leader,
            EnableIdempotence = false,
            MessageTimeoutMs = 15000,
            SocketTimeoutMs = 10000,
        };
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var deliveries = new List<Task<DeliveryResult<byte[], byte[]>>>();
        var partition = new TopicPartition(FixtureMessages.Topic, new Partition(0));
        foreach (ExpectedRecord record in FixtureMessages.All)
        {
            var headers = new Headers();
            foreach ((string key, byte[]? value) in record.Headers)
            {
                headers.Add(key, value);
            }
            var message = new Message<byte[], byte[]>
            {
                Key = record.Key!,
                Value = record.Value!,
                Headers = headers,
                Timestamp = new Timestamp(record.TimestampMs, TimestampType.CreateTime),
            };
            deliveries.Add(producer.ProduceAsync(partition, message));
        }
        Task<byte[]> captured = broker.FirstProducedRecords;
        Task done = await Task.WhenAny(captured, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(
            done == captured,
            $"no Produce request within 30 s; requests seen: {string.Join(", ", broker.RequestLog)}");
        byte[] batch = await captured;
        DeliveryResult<byte[], byte[]>[] results = await Task.WhenAll(deliveries).WaitAsync(TimeSpan.FromSeconds(30));
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(PersistenceStatus.Persisted, results[i].Status);
            Assert.Equal(i, results[i].Offset.Value);
        }
        return batch;
    }
}
