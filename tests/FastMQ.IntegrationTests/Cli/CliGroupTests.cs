using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using Xunit;

namespace FastMQ.IntegrationTests.Cli;

/// <summary><c>fastmq group …</c> against consumer groups a real Kafka client (librdkafka) created on a real broker.</summary>
[Collection(CliCollection.Name)]
public sealed class CliGroupTests(CliBrokerFixture fixture)
{
    [Fact]
    public void GroupCommands_ListDescribeResetDelete_LibrdkafkaGroup()
    {
        // Goal: list/describe/reset-offsets/delete see and change what a real consumer group did. Method: the CLI
        // writes 5 records to each of 2 partitions; a librdkafka consumer in a new group reads them all and commits
        // 5 (p0) and 2 (p1); the CLI commands are checked while the member is in the group and after it has left.
        string topic = CliBrokerFixture.NewTopic("groups");
        string group = "cli-group-" + Guid.NewGuid().ToString("N")[..8];
        fixture.RunOk("topic", "create", topic, "--partitions", "2");
        fixture.RunOkWithInput("a0\na1\na2\na3\na4\n", "produce", topic, "-p", "0");
        fixture.RunOkWithInput("b0\nb1\nb2\nb3\nb4\n", "produce", topic, "-p", "1");
        // The waiting records must be measurably old for lag in seconds.
        Thread.Sleep(1100);

        using (IConsumer<byte[], byte[]> consumer = KafkaClients.Consumer(fixture.Broker.BootstrapServers, c =>
        {
            c.GroupId = group;
            c.ClientId = "cli-group-test-client";
        }))
        {
            consumer.Subscribe(topic);
            int read = 0;
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while (read < 10 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { IsPartitionEOF: false, Message: not null })
                {
                    read++;
                }
            }
            Assert.Equal(10, read);
            consumer.Commit([new TopicPartitionOffset(topic, 0, 5), new TopicPartitionOffset(topic, 1, 2)]);

            JsonElement live = fixture.RunOk("group", "describe", group, "-o", "json").Json();
            Assert.Equal("Stable", live.GetProperty("state").GetString());
            Assert.Equal("consumer", live.GetProperty("protocolType").GetString());
            JsonElement member = Assert.Single(live.GetProperty("members").EnumerateArray());
            Assert.Equal("cli-group-test-client", member.GetProperty("clientId").GetString());
            Assert.False(string.IsNullOrEmpty(member.GetProperty("host").GetString()));
            JsonElement assignment = Assert.Single(member.GetProperty("assignments").EnumerateArray());
            Assert.Equal(topic, assignment.GetProperty("topic").GetString());
            Assert.Equal([0, 1], assignment.GetProperty("partitions").EnumerateArray().Select(p => p.GetInt32()));
            AssertOffsets(live, topic, (5, 5, 0), (2, 5, 3));
            Dictionary<int, JsonElement> rows = Rows(live, topic);
            Assert.Equal(0, rows[0].GetProperty("lagSeconds").GetDouble());
            Assert.True(rows[1].GetProperty("lagSeconds").GetDouble() >= 1.0, live.ToString());
            Assert.Equal(member.GetProperty("memberId").GetString(), rows[1].GetProperty("memberId").GetString());

            // A group with a member can be neither deleted nor reset.
            CliResult delete = fixture.Run("group", "delete", group, "-o", "json");
            Assert.Equal(2, delete.ExitCode);
            Assert.Equal("NON_EMPTY_GROUP", delete.Json().GetProperty("error").GetProperty("kafkaError").GetString());
            CliResult reset = fixture.Run("group", "reset-offsets", group, "--topic", topic, "--to-earliest", "--execute");
            Assert.Equal(2, reset.ExitCode);

            string table = fixture.RunOk("group", "describe", group).Stdout;
            Assert.Contains("Stable", table, StringComparison.Ordinal);
            Assert.Contains($"{topic}:0,1", table, StringComparison.Ordinal);
            consumer.Close();
        }

        JsonElement listed = fixture.RunOk("group", "list", "-o", "json").Json();
        JsonElement entry = Assert.Single(listed.GetProperty("groups").EnumerateArray(), g => g.GetProperty("group").GetString() == group);
        Assert.Equal("consumer", entry.GetProperty("protocolType").GetString());
        Assert.Equal("Empty", entry.GetProperty("state").GetString());
        Assert.Contains(group, fixture.RunOk("group", "list").Stdout, StringComparison.Ordinal);

        JsonElement empty = fixture.RunOk("group", "describe", group, "-o", "json").Json();
        Assert.Equal("Empty", empty.GetProperty("state").GetString());
        Assert.Empty(empty.GetProperty("members").EnumerateArray());
        AssertOffsets(empty, topic, (5, 5, 0), (2, 5, 3));

        // Dry run: the plan (--to-offset clamped into [0, 5]) is printed and nothing changes.
        JsonElement plan = fixture.RunOk("group", "reset-offsets", group, "--topic", topic, "--to-offset", "9", "-o", "json").Json();
        Assert.False(plan.GetProperty("executed").GetBoolean());
        Assert.Equal([(0, 5L, 5L), (1, 2L, 5L)], plan.GetProperty("partitions").EnumerateArray()
            .Select(p => (p.GetProperty("partition").GetInt32(), p.GetProperty("currentOffset").GetInt64(), p.GetProperty("newOffset").GetInt64())));
        AssertOffsets(fixture.RunOk("group", "describe", group, "-o", "json").Json(), topic, (5, 5, 0), (2, 5, 3));

        JsonElement executed = fixture.RunOk("group", "reset-offsets", group, "--topic", topic, "--to-earliest", "--execute", "-o", "json").Json();
        Assert.True(executed.GetProperty("executed").GetBoolean());
        JsonElement reset0 = fixture.RunOk("group", "describe", group, "-o", "json").Json();
        AssertOffsets(reset0, topic, (0, 5, 5), (0, 5, 5));
        Assert.All(Rows(reset0, topic).Values, r => Assert.True(r.GetProperty("lagSeconds").GetDouble() >= 1.0, reset0.ToString()));

        fixture.RunOk("group", "reset-offsets", group, "--topic", topic, "--to-latest", "--execute");
        AssertOffsets(fixture.RunOk("group", "describe", group, "-o", "json").Json(), topic, (5, 5, 0), (5, 5, 0));

        JsonElement deleted = fixture.RunOk("group", "delete", group, "-o", "json").Json();
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.DoesNotContain(fixture.RunOk("group", "list", "-o", "json").Json().GetProperty("groups").EnumerateArray(),
            g => g.GetProperty("group").GetString() == group);
    }

    [Fact]
    public void ResetOffsets_WithoutExactlyOneTarget_IsUsageError()
    {
        // Goal: reset-offsets insists on --topic and exactly one target before talking to the broker. Method: run it
        // with none and with two targets; both must exit 1 with a message naming the options.
        CliResult none = fixture.Run("group", "reset-offsets", "g", "--topic", "t");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("--to-earliest", none.Stderr, StringComparison.Ordinal);
        CliResult two = fixture.Run("group", "reset-offsets", "g", "--topic", "t", "--to-earliest", "--to-offset", "3");
        Assert.Equal(1, two.ExitCode);
        CliResult noTopic = fixture.Run("group", "reset-offsets", "g", "--to-latest");
        Assert.Equal(1, noTopic.ExitCode);
        Assert.Contains("--topic", noTopic.Stderr, StringComparison.Ordinal);
    }

    private static Dictionary<int, JsonElement> Rows(JsonElement describe, string topic) =>
        describe.GetProperty("offsets").EnumerateArray()
            .Where(o => o.GetProperty("topic").GetString() == topic)
            .ToDictionary(o => o.GetProperty("partition").GetInt32());

    /// <summary>Checks (committed, log end, lag) of partitions 0 and 1 in a describe document.</summary>
    private static void AssertOffsets(JsonElement describe, string topic, params (long Committed, long End, long Lag)[] expected)
    {
        Dictionary<int, JsonElement> rows = Rows(describe, topic);
        Assert.Equal(expected.Length, rows.Count);
        for (int p = 0; p < expected.Length; p++)
        {
            JsonElement row = rows[p];
            Assert.True(expected[p] == (row.GetProperty("committedOffset").GetInt64(), row.GetProperty("logEndOffset").GetInt64(),
                row.GetProperty("lag").GetInt64()), $"partition {p}: {describe}");
        }
    }
}
