using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastMQ.IntegrationTests.Support;
using Xunit;

namespace FastMQ.IntegrationTests;

/// <summary>Confluent.Kafka's AdminClient against a real broker: create, describe, grow and delete topics.</summary>
public sealed class AdminTests : IClassFixture<AdminTests.Broker>
{
    public sealed class Broker : IDisposable
    {
        public BrokerProcess Process { get; } = new(["--auto.create.topics.enable=false"]);

        public void Dispose() => Process.Dispose();
    }

    private readonly BrokerProcess _broker;

    public AdminTests(Broker fixture) => _broker = fixture.Process;

    // Goal: topic lifecycle through the AdminClient. Method: create with a config override, see it in metadata and
    // DescribeConfigs, refuse a duplicate, add partitions, delete, and see it gone.
    [Fact]
    public async Task CreateDescribeGrowDelete()
    {
        using IAdminClient admin = KafkaClients.Admin(_broker.BootstrapServers);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "adm", NumPartitions = 2, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "3600000" } }]);
        Metadata md = admin.GetMetadata("adm", TimeSpan.FromSeconds(10));
        Assert.Equal(2, md.Topics.Single().Partitions.Count);

        List<DescribeConfigsResult> configs = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "adm" }]);
        Assert.Equal("3600000", configs[0].Entries["retention.ms"].Value);

        CreateTopicsException dup = await Assert.ThrowsAsync<CreateTopicsException>(() =>
admin.CreateTopicsAsync([new TopicSpecification { Name = "adm", NumPartitions = 1, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.TopicAlreadyExists, dup.Results[0].Error.Code);

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "adm", IncreaseTo = 5 }]);
        Assert.Equal(5, admin.GetMetadata("adm", TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count);

        await admin.DeleteTopicsAsync(["adm"]);
        Metadata after = admin.GetMetadata("adm", TimeSpan.FromSeconds(10));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, after.Topics.Single().Error.Code);
    }

    // Goal: with auto-creation off, producing to an unknown topic fails with UNKNOWN_TOPIC_OR_PARTITION instead of
    // creating it. Method: produce and expect the error; the topic is still absent afterwards.
    [Fact]
    public async Task UnknownTopic_WithAutoCreateOff_IsRefused()
    {
        using IProducer<byte[], byte[]> producer = KafkaClients.Producer(_broker.BootstrapServers, c => c.MessageTimeoutMs = 3000);
        ProduceException<byte[], byte[]> e = await Assert.ThrowsAsync<ProduceException<byte[], byte[]>>(() =>
producer.ProduceAsync("nope", new Message<byte[], byte[]> { Value = [1] }));
        Assert.True(e.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_MsgTimedOut, e.Error.ToString());
        using IAdminClient admin = KafkaClients.Admin(_broker.BootstrapServers);
        Assert.Equal(ErrorCode.UnknownTopicOrPart, admin.GetMetadata("nope", TimeSpan.FromSeconds(10)).Topics.Single().Error.Code);
    }

    // Goal: DeleteRecords moves the log start offset and consumers then start there. Method: produce 100, delete
    // records before 40, check the low watermark and that reading from the beginning starts at offset 40.
    [Fact]
    public async Task DeleteRecords_AdvancesLogStart()
    {
        KafkaClients.CreateTopic(_broker.BootstrapServers, "trim", 1);
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(_broker.BootstrapServers, c => c.LingerMs = 0))
        {
            for (int i = 0; i < 100; i++)
            {
                await producer.ProduceAsync("trim", new Message<byte[], byte[]> { Value = BitConverter.GetBytes(i) });
            }
        }
        using IAdminClient admin = KafkaClients.Admin(_broker.BootstrapServers);
        List<DeleteRecordsResult> deleted = await admin.DeleteRecordsAsync([new TopicPartitionOffset("trim", 0, 40)]);
        Assert.Equal(40, deleted[0].Offset.Value);
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, "trim", 1, 60, TimeSpan.FromSeconds(20));
        Assert.Equal(40, got.First().Offset.Value);
        Assert.Equal(60, got.Count);
    }
}
