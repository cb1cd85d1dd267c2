using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace FastMQ.IntegrationTests.Compat;

/// <summary>
/// kafkajs 2.2.4, a client without any flexible protocol version (ApiVersions v2, Metadata v6, Produce v7, Fetch v11,
/// ListOffsets v3, CreateTopics v3, InitProducerId v1), used unchanged against a real fastmq-server process.
/// </summary>
public sealed class KafkaJsCompatTests(KafkaJsBrokerFixture fixture) : IClassFixture<KafkaJsBrokerFixture>
{
    private readonly BrokerProcess _broker = fixture.Broker;

    [Fact]
    public void Admin_CreatesTopicAndFetchesMetadata()
    {
        // Goal: kafkajs' admin client creates and describes topics. Method: createTopics (3 partitions) → true, the same
        // again → false (TOPIC_ALREADY_EXISTS), then listTopics, fetchTopicMetadata, fetchTopicOffsets, describeCluster.
        string topic = KafkaJsBrokerFixture.NewTopic("admin");
        KafkaJsResult run = KafkaJsDriver.Run(_broker, "admin", topic, "--partitions", "3");

        Assert.True(run.Bool("created"), run.ToString());
        Assert.False(run.Bool("createdAgain"), run.ToString());
        Assert.True(run.Bool("listed"), run.ToString());
        JsonNode described = Assert.Single(run.Array("metadata"))!;
        Assert.Equal(topic, described["name"]!.GetValue<string>());
        JsonArray partitions = described["partitions"]!.AsArray();
        Assert.Equal([0, 1, 2], partitions.Select(p => p!["partitionId"]!.GetValue<int>()));
        int nodeId = Assert.Single(run.Node("cluster")["brokers"]!.AsArray())!["nodeId"]!.GetValue<int>();
        Assert.Equal(nodeId, run.Node("cluster")["controller"]!.GetValue<int>());
        foreach (JsonNode? p in partitions)
        {
            Assert.Equal(0, p!["errorCode"]!.GetValue<int>());
            Assert.Equal(nodeId, p["leader"]!.GetValue<int>());
            Assert.Equal([nodeId], p["isr"]!.AsArray().Select(n => n!.GetValue<int>()));
        }
        Assert.Equal([(0, 0L, 0L), (1, 0L, 0L), (2, 0L, 0L)], run.Offsets);
        run.AssertSent("ApiVersions v2", "CreateTopics v3", "Metadata v6", "ListOffsets v3");
        // The only error answer is the duplicate createTopics, which kafkajs turns into "false".
        JsonNode error = Assert.Single(run.Array("errorResponses"))!;
        Assert.Equal("CreateTopics v3", error["api"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(-1, "gzip")]
    [InlineData(1, "none")]
    [InlineData(-1, "none")]
    [InlineData(1, "gzip")]
    public void Producer_Sends1000KeyedMessages_ReadBackIntact(int acks, string compression)
    {
        // Goal: kafkajs' producer (Produce v7) is served for acks -1 and 1, gzip and none, and the records come back
        // intact over Fetch v11. Method: create 3 partitions, send 1,000 keyed messages in 10 sends, compare
        // fetchTopicOffsets (ListOffsets v3) with the count, then read every partition from offset 0 and check each
        // record once, key/value paired, on the partition kafkajs' partitioner chose, at offsets 0, 1, 2, …; then one
        // long-polling Fetch at the end of the log.
        const int count = 1000;
        string topic = KafkaJsBrokerFixture.NewTopic($"produce-{(acks < 0 ? "all" : "one")}-{compression}");
        KafkaJsDriver.Run(_broker, "admin", topic, "--partitions", "3").AssertOk();

        KafkaJsResult produced = KafkaJsDriver.Run(_broker, "produce", topic, "--count", "1000", "--batch", "100",
            "--acks", acks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--compression", compression);
        Assert.True(produced.Bool("baseOffsetsIncreasing"), produced.ToString());
        Assert.Equal(10, produced.Array("sends").Count);
        AssertOffsetsTotal(produced, count);
        produced.AssertSent("ApiVersions v2", "Metadata v6", "Produce v7", "ListOffsets v3");
        produced.AssertNoErrorResponses();
        int gzipBatchesSent = produced.Node("counters")["gzipCompress"]!.GetValue<int>();
        Assert.True(compression == "gzip" ? gzipBatchesSent >= 10 : gzipBatchesSent == 0, produced.ToString());

        KafkaJsResult read = KafkaJsDriver.Run(_broker, "read", topic, "--count", "1000");
        AssertAllRecords(read, count);
        read.AssertSent("Fetch v11");
        read.AssertNoErrorResponses();
        Assert.Equal(produced.Offsets, read.Offsets);
        // The broker stores batches as sent, so gzip batches come back compressed and plain ones plain.
        int gzipBatchesRead = read.Node("counters")["gzipDecompress"]!.GetValue<int>();
        Assert.True(compression == "gzip" ? gzipBatchesRead >= 10 : gzipBatchesRead == 0, read.ToString());

        // At the end of the log a Fetch with minBytes 1 is parked until its maxWaitTime (500 ms), not answered at once:
        // kafkajs consumers fetch in a loop and would spin otherwise.
        JsonNode tail = read.Node("tailWait");
        Assert.Equal(0, tail["errorCode"]!.GetValue<int>());
        Assert.Equal(0, tail["records"]!.GetValue<int>());
        Assert.InRange(tail["elapsedMs"]!.GetValue<int>(), 250, 5000);
    }

    [Fact]
    public void IdempotentProducer_Sends500_WithoutDuplicates()
    {
        // Goal: kafkajs' idempotent producer (Metadata v6 for all topics, InitProducerId v1, sequenced Produce v7) gets
        // a producer id and writes each message once; a retried batch is recognised. Method: send 500 messages, re-send
        // partition 0's last batch with the same id/epoch/sequence, then read everything back and count.
        const int count = 500;
        string topic = KafkaJsBrokerFixture.NewTopic("idempotent");
        KafkaJsDriver.Run(_broker, "admin", topic, "--partitions", "3").AssertOk();

        KafkaJsResult run = KafkaJsDriver.Run(_broker, "idempotent", topic, "--count", "500", "--batch", "50");
        run.AssertSent("InitProducerId v1", "Metadata v6", "Produce v7", "Fetch v11");
        run.AssertNoErrorResponses();
        string producerId = Assert.Single(run.Array("producerIds"))!.GetValue<string>();
        Assert.True(long.Parse(producerId, System.Globalization.CultureInfo.InvariantCulture) >= 0, run.ToString());
        AssertAllRecords(run, count);
        AssertOffsetsTotal(run, count);

        JsonNode duplicate = run.Node("duplicate");
        Assert.Equal(producerId, duplicate["producerId"]!.GetValue<string>());
        Assert.Equal(0, duplicate["errorCode"]!.GetValue<int>());
        Assert.Equal(duplicate["originalOffset"]!.GetValue<string>(), duplicate["baseOffset"]!.GetValue<string>());
    }

    [Fact]
    public void Producer_AutoCreatesUnknownTopic_WithBrokerDefaultPartitions()
    {
        // Goal: kafkajs' producer (allowAutoTopicCreation true by default) creates a missing topic through Metadata v6
        // and the topic gets the broker's num.partitions. Method: send 10 keyed messages to a new name, describe it
        // and read it back.
        const int count = 10;
        string topic = KafkaJsBrokerFixture.NewTopic("auto");

        KafkaJsResult run = KafkaJsDriver.Run(_broker, "autocreate", topic, "--count", "10");
        run.AssertNoErrorResponses();
        Assert.Equal(KafkaJsBrokerFixture.DefaultPartitions, run.Int("partitions"));
        AssertOffsetsTotal(run, count);
        // The broker logs the creation before it answers, but the line reaches this process through a pipe: wait for it.
        _broker.WaitForOutput($"Created topic {topic}");
        Assert.Contains($"Created topic {topic}", _broker.Output, System.StringComparison.Ordinal);

        KafkaJsResult read = KafkaJsDriver.Run(_broker, "read", topic, "--count", "10");
        AssertAllRecords(read, count);
    }

    private static void AssertOffsetsTotal(KafkaJsResult run, int count)
    {
        IReadOnlyList<(int Partition, long Low, long High)> offsets = run.Offsets;
        Assert.All(offsets, o => Assert.Equal(0, o.Low));
        Assert.True(offsets.Sum(o => o.High) == count, $"high watermarks add up to {offsets.Sum(o => o.High)}, not {count}:\n{run}");
    }

    // Checks the driver's analysis of what it read: every value-i exactly once with key-i, on the partition the
    // client's murmur2 partitioner picks for key-i, and each partition's offsets dense from 0.
    private static void AssertAllRecords(KafkaJsResult run, int count)
    {
        Assert.True(run.Int("received") == count, $"received {run.Int("received")} of {count}:\n{run}");
        Assert.Equal(count, run.Int("distinct"));
        Assert.Equal(0, run.Int("duplicates"));
        Assert.Equal(0, run.Int("badPairs"));
        Assert.Equal(0, run.Int("wrongPartition"));
        Assert.Equal(0, run.Int("offsetGaps"));
        Assert.Empty(run.Array("missing"));
        JsonObject perPartition = run.Node("perPartition").AsObject();
        foreach ((int partition, _, long high) in run.Offsets)
        {
            long readHere = perPartition.TryGetPropertyValue(partition.ToString(System.Globalization.CultureInfo.InvariantCulture), out JsonNode? n) ? n!.GetValue<long>() : 0;
            Assert.Equal(high, readHere);
        }
    }
}
