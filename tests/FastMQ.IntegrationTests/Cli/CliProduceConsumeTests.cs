using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace FastMQ.IntegrationTests.Cli;

/// <summary>produce and consume through the fastmq binary against a real broker.</summary>
[Collection(CliCollection.Name)]
public sealed class CliProduceConsumeTests(CliBrokerFixture fixture)
{
    [Theory]
    [InlineData("none", 0)]
    [InlineData("gzip", 1)]
    [InlineData("snappy", 2)]
    [InlineData("lz4", 3)]
    [InlineData("zstd", 4)]
    public void ProduceKeyedLines_ConsumeReturnsThemPerKeyInOrder(string compression, int codec)
    {
        // Goal: keyed stdin lines survive the round trip with every codec, same key → same partition, order kept per
        // key, and the batches on disk really use the codec asked for. Method: produce 40 lines over 7 keys into 3
        // partitions, consume them back as JSON and as text, then read the first batch header of each partition log.
        string topic = CliBrokerFixture.NewTopic("rt-" + compression);
        fixture.RunOk("topic", "create", topic, "--partitions", "3");
        string[] lines = [.. Enumerable.Range(0, 40).Select(i => $"key-{i % 7}:value-{compression}-{i}")];

        JsonElement produced = fixture.RunOkWithInput(string.Join('\n', lines) + "\n",
            "produce", topic, "--key-separator", ":", "--compression", compression, "-o", "json").Json();
        Assert.Equal(40, produced.GetProperty("records").GetInt64());
        Assert.Equal(40, produced.GetProperty("partitions").EnumerateArray().Sum(p => p.GetProperty("records").GetInt64()));

        JsonElement consumed = fixture.RunOk("consume", topic, "--from-beginning", "-n", "40", "--timeout-ms", "15000",
            "-o", "json").Json();
        JsonElement[] records = [.. consumed.GetProperty("records").EnumerateArray()];
        Assert.Equal(40, records.Length);
        Assert.Equal(
            lines.Order(StringComparer.Ordinal),
            records.Select(r => $"{r.GetProperty("key").GetString()}:{r.GetProperty("value").GetString()}").Order(StringComparer.Ordinal));
        var partitionsUsed = new HashSet<int>();
        foreach (IGrouping<string?, JsonElement> byKey in records.GroupBy(r => r.GetProperty("key").GetString()))
        {
            int[] partitions = [.. byKey.Select(r => r.GetProperty("partition").GetInt32()).Distinct()];
            Assert.Single(partitions);
            partitionsUsed.Add(partitions[0]);
            string[] expected = [.. lines.Where(l => l.StartsWith(byKey.Key + ":", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':') + 1)..])];
            Assert.Equal(expected, byKey.OrderBy(r => r.GetProperty("offset").GetInt64()).Select(r => r.GetProperty("value").GetString()));
        }
        Assert.True(partitionsUsed.Count > 1, "7 keys over 3 partitions should use more than one partition");

        CliResult text = fixture.RunOk("consume", topic, "--from-beginning", "--key-separator", ":", "-n", "40",
            "--timeout-ms", "15000");
        Assert.Equal(lines.Order(StringComparer.Ordinal),
            text.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

        foreach (int partition in partitionsUsed)
        {
            Assert.Equal(codec, FirstBatchCodecOnDisk(topic, partition));
        }
    }

    [Fact]
    public void Consume_StartOptionsAndCount_PickTheRightRecords()
    {
        // Goal: --offset, --from-beginning, --from-end and -n choose exactly the records they promise and report the
        // next offset. Method: five values in one partition, then consume with each option.
        string topic = CliBrokerFixture.NewTopic("start");
        fixture.RunOk("topic", "create", topic, "--partitions", "1");
        fixture.RunOkWithInput("a\nb\nc\nd\ne\n", "produce", topic);

        CliResult fromOffset = fixture.RunOk("consume", topic, "--offset", "2", "-p", "0", "-n", "3");
        Assert.Equal("c\nd\ne\n", fromOffset.Stdout);

        JsonElement firstTwo = fixture.RunOk("consume", topic, "--from-beginning", "-n", "2", "-o", "json").Json();
        Assert.Equal(["a", "b"], firstTwo.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("value").GetString()));
        Assert.Equal(2, firstTwo.GetProperty("nextOffsets")[0].GetProperty("offset").GetInt64());
        Assert.Equal(JsonValueKind.Null, firstTwo.GetProperty("records")[0].GetProperty("key").ValueKind);

        JsonElement fromEnd = fixture.RunOk("consume", topic, "--from-end", "--timeout-ms", "800", "-o", "json").Json();
        Assert.Equal(0, fromEnd.GetProperty("count").GetInt64());
        Assert.Equal(5, fromEnd.GetProperty("nextOffsets")[0].GetProperty("offset").GetInt64());

        CliResult nullKey = fixture.RunOk("consume", topic, "--from-beginning", "--print-key", "-n", "1");
        Assert.Equal("null\ta\n", nullKey.Stdout);
    }

    [Fact]
    public async Task Consume_WaitsForRecordsProducedLater()
    {
        // Goal: the fetch loop keeps polling and delivers records that arrive after it started. Method: start consume
        // at offset 0 of an empty topic, produce two lines a moment later, and wait for consume to print them.
        string topic = CliBrokerFixture.NewTopic("wait");
        fixture.RunOk("topic", "create", topic, "--partitions", "1");
        Task<CliResult> consumer = Task.Run(() => fixture.Run("consume", topic, "--offset", "0", "-p", "0", "-n", "2",
            "--timeout-ms", "30000"));
        await Task.Delay(1500);
        fixture.RunOkWithInput("late-1\nlate-2\n", "produce", topic);
        CliResult result = await consumer;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("late-1\nlate-2\n", result.Stdout);
    }

    [Fact]
    public void Produce_ToExplicitPartition_LandsOnlyThere()
    {
        // Goal: --partition sends every record to that partition. Method: produce three lines to partition 2 of 3 and
        // compare the log end offsets describe reports.
        string topic = CliBrokerFixture.NewTopic("part");
        fixture.RunOk("topic", "create", topic, "--partitions", "3");
        JsonElement produced = fixture.RunOkWithInput("x\ny\nz\n", "produce", topic, "--partition", "2", "-o", "json").Json();
        JsonElement only = Assert.Single(produced.GetProperty("partitions").EnumerateArray());
        Assert.Equal(2, only.GetProperty("partition").GetInt32());
        Assert.Equal(0, only.GetProperty("firstOffset").GetInt64());
        Assert.Equal(2, only.GetProperty("lastOffset").GetInt64());

        JsonElement described = fixture.RunOk("topic", "describe", topic, "-o", "json").Json();
        Assert.Equal([0L, 0L, 3L], described.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("logEndOffset").GetInt64()));
    }

    [Fact]
    public void Produce_BadInputOrTarget_GivesUsageOrBrokerExitCodes()
    {
        // Goal: a line without the key separator is a usage error (1); an unknown topic or partition is a broker
        // error (2) naming UNKNOWN_TOPIC_OR_PARTITION. Method: run each case.
        string topic = CliBrokerFixture.NewTopic("bad");
        fixture.RunOk("topic", "create", topic, "--partitions", "1");

        CliResult noSeparator = fixture.RunWithInput("k:v\nno separator here\n", "produce", topic, "--key-separator", ":");
        Assert.Equal(1, noSeparator.ExitCode);
        Assert.Contains("line 2", noSeparator.Stderr, StringComparison.Ordinal);

        CliResult unknownTopic = fixture.RunWithInput("v\n", "produce", CliBrokerFixture.NewTopic("missing"));
        Assert.Equal(2, unknownTopic.ExitCode);
        Assert.Contains("UNKNOWN_TOPIC_OR_PARTITION", unknownTopic.Stderr, StringComparison.Ordinal);

        CliResult unknownPartition = fixture.Run("consume", topic, "-p", "5", "--timeout-ms", "500");
        Assert.Equal(2, unknownPartition.ExitCode);
        Assert.Contains("UNKNOWN_TOPIC_OR_PARTITION", unknownPartition.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// The compression codec of the first batch in a partition's first segment. FastMQ stores batches as received
    /// (Kafka's log format, kafka-protocol.md §4.4), so bits 0-2 of the attributes at byte 21 are the producer's codec.
    /// </summary>
    private int FirstBatchCodecOnDisk(string topic, int partition)
    {
        string dir = Path.Combine(fixture.Broker.DataDir, $"{topic}-{partition}");
        string log = Directory.GetFiles(dir, "*.log").Order(StringComparer.Ordinal).First();
        byte[] header = new byte[61];
        for (int attempt = 0; ; attempt++)
        {
            using (var file = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                file.ReadExactly(header);
            }
            if (header[16] == 2 || attempt == 20)
            {
                break;
            }
            Thread.Sleep(100); // the append may not have reached the file yet
        }
        Assert.True(header[16] == 2, $"no magic-2 batch at the start of {log}: {Convert.ToHexString(header)}");
        return BinaryPrimitives.ReadInt16BigEndian(header.AsSpan(21)) & 0x7;
    }
}
