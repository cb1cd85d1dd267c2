using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace FastMQ.IntegrationTests.Cli;

/// <summary>topic create/list/describe/add-partitions/delete through the fastmq binary against a real broker.</summary>
[Collection(CliCollection.Name)]
public sealed class CliTopicTests(CliBrokerFixture fixture)
{
    [Fact]
    public void Create_ThenListAndDescribe_ShowPartitionsOffsetsAndConfig()
    {
        // Goal: a created topic appears in list and describe with its partitions and config. Method: create with
        // --partitions and --config, then read list and describe as JSON and describe as a table.
        string topic = CliBrokerFixture.NewTopic("create");
        JsonElement created = fixture.RunOk("topic", "create", topic, "--partitions", "3", "--config", "retention.ms=123456",
            "-o", "json").Json();
        Assert.Equal(topic, created.GetProperty("topic").GetString());
        Assert.Equal(3, created.GetProperty("partitions").GetInt32());
        Assert.Equal(1, created.GetProperty("replicationFactor").GetInt32());

        JsonElement listed = fixture.RunOk("topic", "list", "-o", "json").Json().GetProperty("topics")
            .EnumerateArray().Single(t => t.GetProperty("topic").GetString() == topic);
        Assert.Equal(3, listed.GetProperty("partitions").GetInt32());

        JsonElement described = fixture.RunOk("topic", "describe", topic, "-o", "json").Json();
        JsonElement[] partitions = [.. described.GetProperty("partitions").EnumerateArray()];
        Assert.Equal([0, 1, 2], partitions.Select(p => p.GetProperty("partition").GetInt32()));
        foreach (JsonElement p in partitions)
        {
            Assert.True(p.GetProperty("leader").GetInt32() >= 0);
            Assert.Equal(0, p.GetProperty("logStartOffset").GetInt64());
            Assert.Equal(0, p.GetProperty("logEndOffset").GetInt64());
        }
        JsonElement retention = described.GetProperty("configs").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "retention.ms");
        Assert.Equal("123456", retention.GetProperty("value").GetString());
        Assert.Equal("DYNAMIC_TOPIC_CONFIG", retention.GetProperty("source").GetString());

        CliResult table = fixture.RunOk("topic", "describe", topic);
        Assert.Contains(topic, table.Stdout, System.StringComparison.Ordinal);
        Assert.Contains("retention.ms", table.Stdout, System.StringComparison.Ordinal);
        Assert.Contains("123456", table.Stdout, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ExistingTopic_ExitsTwoWithKafkaErrorName()
    {
        // Goal: a broker error gives exit code 2 and the Kafka error name, in both output modes. Method: create twice.
        string topic = CliBrokerFixture.NewTopic("exists");
        fixture.RunOk("topic", "create", topic, "--partitions", "1");

        CliResult again = fixture.Run("topic", "create", topic);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("TOPIC_ALREADY_EXISTS", again.Stderr, System.StringComparison.Ordinal);

        CliResult json = fixture.Run("topic", "create", topic, "-o", "json");
        Assert.Equal(2, json.ExitCode);
        JsonElement error = json.Json().GetProperty("error");
        Assert.Equal("TOPIC_ALREADY_EXISTS", error.GetProperty("kafkaError").GetString());
        Assert.Equal(2, error.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public void AddPartitions_GrowsTopic_AndRejectsShrinking()
    {
        // Goal: add-partitions raises the count seen by describe; a smaller total is a broker error (exit 2).
        // Method: create with 1 partition, grow to 4, try 2.
        string topic = CliBrokerFixture.NewTopic("grow");
        fixture.RunOk("topic", "create", topic, "--partitions", "1");

        JsonElement grown = fixture.RunOk("topic", "add-partitions", topic, "--total", "4", "-o", "json").Json();
        Assert.Equal(4, grown.GetProperty("partitions").GetInt32());
        JsonElement described = fixture.RunOk("topic", "describe", topic, "-o", "json").Json();
        Assert.Equal(4, described.GetProperty("partitions").GetArrayLength());

        CliResult shrink = fixture.Run("topic", "add-partitions", topic, "--total", "2");
        Assert.Equal(2, shrink.ExitCode);
        Assert.Contains("INVALID_PARTITIONS", shrink.Stderr, System.StringComparison.Ordinal);

        CliResult missingTotal = fixture.Run("topic", "add-partitions", topic);
        Assert.Equal(1, missingTotal.ExitCode);
    }

    [Fact]
    public void Delete_RemovesTopic_ThenUnknownTopicExitsTwo()
    {
        // Goal: delete removes the topic from list; deleting or describing it again is UNKNOWN_TOPIC_OR_PARTITION (2).
        // Method: create, delete, then list, delete and describe.
        string topic = CliBrokerFixture.NewTopic("delete");
        fixture.RunOk("topic", "create", topic, "--partitions", "2");

        JsonElement deleted = fixture.RunOk("topic", "delete", topic, "-o", "json").Json();
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        IEnumerable<string?> names = fixture.RunOk("topic", "list", "-o", "json").Json().GetProperty("topics")
            .EnumerateArray().Select(t => t.GetProperty("topic").GetString());
        Assert.DoesNotContain(topic, names);

        CliResult again = fixture.Run("topic", "delete", topic);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("UNKNOWN_TOPIC_OR_PARTITION", again.Stderr, System.StringComparison.Ordinal);

        CliResult describe = fixture.Run("topic", "describe", topic, "-o", "json");
        Assert.Equal(2, describe.ExitCode);
        Assert.Equal("UNKNOWN_TOPIC_OR_PARTITION", describe.Json().GetProperty("error").GetProperty("kafkaError").GetString());
    }

    [Fact]
    public void ClusterInfo_ReportsBrokerClusterIdAndNegotiatedVersions()
    {
        // Goal: cluster info shows the broker at the address it advertises, a cluster id and the versions fastmq uses.
        // Method: run it as JSON and as a table.
        JsonElement info = fixture.RunOk("cluster", "info", "-o", "json").Json();
        Assert.False(string.IsNullOrEmpty(info.GetProperty("clusterId").GetString()));
        JsonElement broker = Assert.Single(info.GetProperty("brokers").EnumerateArray());
        Assert.Equal(fixture.Broker.Port, broker.GetProperty("port").GetInt32());
        Assert.Equal(broker.GetProperty("nodeId").GetInt32(), info.GetProperty("controllerId").GetInt32());
        Dictionary<string, JsonElement> apis = info.GetProperty("apiVersions").EnumerateArray()
            .ToDictionary(a => a.GetProperty("name").GetString()!);
        foreach (string api in new[] { "ApiVersions", "Metadata", "Produce", "Fetch", "ListOffsets", "CreateTopics" })
        {
            JsonElement entry = apis[api];
            int used = entry.GetProperty("usedVersion").GetInt32();
            Assert.InRange(used, entry.GetProperty("minVersion").GetInt32(), entry.GetProperty("maxVersion").GetInt32());
        }

        CliResult table = fixture.RunOk("cluster", "info");
        Assert.Contains(info.GetProperty("clusterId").GetString()!, table.Stdout, System.StringComparison.Ordinal);
        Assert.Contains("Produce", table.Stdout, System.StringComparison.Ordinal);
    }
}
