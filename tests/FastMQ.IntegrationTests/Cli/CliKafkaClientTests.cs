using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using Xunit;

namespace FastMQ.IntegrationTests.Cli;

/// <summary>The CLI and a real Kafka client (librdkafka through Confluent.Kafka) read each other's records.</summary>
[Collection(CliCollection.Name)]
public sealed class CliKafkaClientTests(CliBrokerFixture fixture)
{
    private const int Partitions = 4;

    [Fact]
    public async Task CliProducedRecords_ReadByLibrdkafka_OnTheSamePartitionsItsProducerPicks()
    {
        // Goal: batches the CLI builds decode in librdkafka, and keys land where librdkafka's murmur2 partitioner (the
        // Java client's default) puts them. Method: the CLI produces keyed lines (gzip) to one topic, librdkafka
        // produces the same keys to another; librdkafka reads the first topic and the key→partition maps are compared.
        string cliTopic = CliBrokerFixture.NewTopic("interop-cli");
        string rdkTopic = CliBrokerFixture.NewTopic("interop-rdk");
        fixture.RunOk("topic", "create", cliTopic, "--partitions", Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture));
        fixture.RunOk("topic", "create", rdkTopic, "--partitions", Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string[] keys = [.. Enumerable.Range(0, 12).Select(i => $"customer-{i}")];
        string input = string.Concat(keys.Select(k => $"{k}=order of {k}\n"));
        fixture.RunOkWithInput(input, "produce", cliTopic, "--key-separator", "=", "--compression", "gzip");

        var rdkPartitionOf = new Dictionary<string, int>();
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(fixture.Broker.BootstrapServers))
        {
            foreach (string key in keys)
            {
                DeliveryResult<byte[], byte[]> delivered = await producer.ProduceAsync(rdkTopic,
                    new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = [1] });
                rdkPartitionOf[key] = delivered.Partition.Value;
            }
        }

        List<ConsumeResult<byte[], byte[]>> read = KafkaClients.ReadAll(fixture.Broker.BootstrapServers, cliTopic, Partitions,
            keys.Length, TimeSpan.FromSeconds(30));
        Assert.Equal(keys.Length, read.Count);
        foreach (ConsumeResult<byte[], byte[]> r in read)
        {
            string key = Encoding.UTF8.GetString(r.Message.Key);
            Assert.Equal($"order of {key}", Encoding.UTF8.GetString(r.Message.Value));
            Assert.Equal(rdkPartitionOf[key], r.Partition.Value);
        }
    }

    [Fact]
    public async Task LibrdkafkaProducedRecords_ReadByCli()
    {
        // Goal: the CLI decodes batches written by librdkafka (zstd, keys, several partitions). Method: librdkafka
        // produces 20 keyed records, the CLI consumes them as JSON and the contents are compared.
        string topic = CliBrokerFixture.NewTopic("interop-read");
        fixture.RunOk("topic", "create", topic, "--partitions", "3");
        var sent = new List<string>();
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(fixture.Broker.BootstrapServers,
            c => c.CompressionType = CompressionType.Zstd))
        {
            for (int i = 0; i < 20; i++)
            {
                string key = $"k{i % 5}";
                string value = $"librdkafka value {i} " + new string('z', 50);
                await producer.ProduceAsync(topic, new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes(key),
                    Value = Encoding.UTF8.GetBytes(value),
                });
                sent.Add($"{key}|{value}");
            }
        }

        JsonElement consumed = fixture.RunOk("consume", topic, "--from-beginning", "-n", "20", "--timeout-ms", "15000",
            "-o", "json").Json();
        Assert.Equal(
            sent.Order(StringComparer.Ordinal),
            consumed.GetProperty("records").EnumerateArray()
                .Select(r => $"{r.GetProperty("key").GetString()}|{r.GetProperty("value").GetString()}")
                .Order(StringComparer.Ordinal));
    }
}
