using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Confluent.Kafka;
using CompressionType = Confluent.Kafka.CompressionType;
using FastMQ.IntegrationTests.Support;
using Xunit;
using AutoOffsetReset = FastMQ.Client.AutoOffsetReset;
using ConsumerException = FastMQ.Client.ConsumerException;
using FmConsumer = FastMQ.Client.Consumer;
using FmRecord = FastMQ.Client.ConsumeRecord;
using TopicPartition = FastMQ.Client.TopicPartition;
using TopicPartitionOffset = FastMQ.Client.TopicPartitionOffset;

namespace FastMQ.IntegrationTests.Client.Consumer;

/// <summary>FastMQ.Client's consumer reading from a real broker process, data written by Confluent.Kafka.</summary>
public sealed class ConsumeTests
{
    public static TheoryData<string> Codecs => new() { "none", "gzip", "snappy", "lz4", "zstd" };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Consume_ReadsWhatConfluentWrote(string codec)
    {
        // Goal: every record Confluent.Kafka (librdkafka) produced, with each compression codec, is read back exactly:
        // offsets in order per partition, keys (incl. null), values (incl. tombstones), headers, timestamps.
        // Method: produce 2 x 300 keyed records with headers, consume with Assign from the beginning, compare.
        using var broker = new BrokerProcess();
        string topic = "codec-" + codec;
        KafkaClients.CreateTopic(broker.BootstrapServers, topic, 2);
        var expected = new Dictionary<(int, long), Message<byte[], byte[]>>();
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(broker.BootstrapServers,
                   c => c.CompressionType = Enum.Parse<CompressionType>(codec, ignoreCase: true)))
        {
            for (int p = 0; p < 2; p++)
            {
                for (int i = 0; i < 300; i++)
                {
                    var m = new Message<byte[], byte[]>
                    {
                        Key = i % 50 == 0 ? null! : Encoding.UTF8.GetBytes($"k{i}"),
                        Value = i % 70 == 0 ? null! : Encoding.UTF8.GetBytes(new string('v', i % 40) + i),
                        Headers = new Headers { { "h", Encoding.UTF8.GetBytes($"hv{i}") }, { "n", null } },
                        Timestamp = new Timestamp(1_700_000_000_000 + i, TimestampType.CreateTime),
                    };
                    producer.Produce(new Confluent.Kafka.TopicPartition(topic, p), m, r =>
                    {
                        lock (expected)
                        {
                            expected[(r.Partition.Value, r.Offset.Value)] = m;
                        }
                    });
                }
            }
            producer.Flush(TimeSpan.FromSeconds(30));
        }
        Assert.Equal(600, expected.Count);
        using FmConsumer consumer = ConsumerTestSupport.Create(broker.BootstrapServers);
        consumer.Assign([new TopicPartitionOffset(topic, 0, FmConsumer.OffsetBeginning), new TopicPartitionOffset(topic, 1, FmConsumer.OffsetBeginning)]);
        List<ConsumedRecord> got = ConsumerTestSupport.Take(consumer, 600, TimeSpan.FromSeconds(30));

        Assert.Equal(600, got.Count);
        foreach (IGrouping<int, ConsumedRecord> part in got.GroupBy(r => r.Partition))
        {
            Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), part.Select(r => r.Offset));
        }
        foreach (ConsumedRecord r in got)
        {
            Message<byte[], byte[]> m = expected[(r.Partition, r.Offset)];
            Assert.Equal(topic, r.Topic);
            Assert.Equal(m.Key, r.Key);
            Assert.Equal(m.Value, r.Value);
            Assert.Equal(m.Timestamp.UnixTimestampMs, r.TimestampMs);
            Assert.Equal(["h", "n"], r.Headers.Select(h => h.Key));
            Assert.Equal(m.Headers[0].GetValueBytes(), r.Headers[0].Value);
            Assert.Null(r.Headers[1].Value);
        }
        Assert.Equal(300, consumer.Position(new TopicPartition(topic, 0)));
    }

    [Fact]
    public void Seek_MovesTheNextRecord_AndDropsPrefetchedData()
    {
        // Goal: after Seek the very next record is the one sought, also backwards over data already prefetched, and
        // OffsetBeginning/OffsetEnd resolve through ListOffsets. Method: 1 partition, 100 records, seek around.
        using var broker = new BrokerProcess();
        KafkaClients.CreateTopic(broker.BootstrapServers, "seek", 1);
        GroupsProduce(broker.BootstrapServers, "seek", 1, 100);
        using FmConsumer consumer = ConsumerTestSupport.Create(broker.BootstrapServers);
        var tp = new TopicPartition("seek", 0);
        consumer.Assign([new TopicPartitionOffset("seek", 0, 0)]);
        Assert.Equal(60, ConsumerTestSupport.Take(consumer, 60, TimeSpan.FromSeconds(20)).Count);

        consumer.Seek(new TopicPartitionOffset("seek", 0, 10));
        Assert.Equal(10, consumer.Position(tp));
        Assert.Equal([10L, 11, 12], ConsumerTestSupport.Take(consumer, 3, TimeSpan.FromSeconds(10)).Select(r => r.Offset));

        consumer.Seek(new TopicPartitionOffset("seek", 0, 95));
        Assert.Equal([95L, 96, 97, 98, 99], ConsumerTestSupport.Take(consumer, 5, TimeSpan.FromSeconds(10)).Select(r => r.Offset));

        consumer.Seek(new TopicPartitionOffset("seek", 0, FmConsumer.OffsetBeginning));
        Assert.Equal(0, ConsumerTestSupport.Take(consumer, 1, TimeSpan.FromSeconds(10)).Single().Offset);
        consumer.Seek(new TopicPartitionOffset("seek", 0, FmConsumer.OffsetEnd));
        Assert.Equal(100, consumer.Position(tp));
        Assert.Empty(ConsumerTestSupport.Drain(consumer, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void PauseResume_StopsAndRestartsOnePartition()
    {
        // Goal: a paused partition returns nothing (even what was prefetched) while others flow; Resume continues
        // exactly at the position. Method: 2 partitions x 200 records; pause p0 after a few records.
        using var broker = new BrokerProcess();
        KafkaClients.CreateTopic(broker.BootstrapServers, "pause", 2);
        GroupsProduce(broker.BootstrapServers, "pause", 2, 200);
        using FmConsumer consumer = ConsumerTestSupport.Create(broker.BootstrapServers, configure: c => c.MaxPartitionFetchBytes = 2048);
        consumer.Assign([new TopicPartitionOffset("pause", 0, 0), new TopicPartitionOffset("pause", 1, 0)]);
        var p0 = new TopicPartition("pause", 0);
        List<ConsumedRecord> first = ConsumerTestSupport.Take(consumer, 20, TimeSpan.FromSeconds(20));
        consumer.Pause([p0]);
        Assert.Equal([p0], consumer.Paused());
        long pausedAt = consumer.Position(p0);
        List<ConsumedRecord> whilePaused = ConsumerTestSupport.Drain(consumer, TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(whilePaused, r => r.Partition == 0);
        Assert.Equal(200, first.Count(r => r.Partition == 1) + whilePaused.Count(r => r.Partition == 1));

        consumer.Resume([p0]);
        List<ConsumedRecord> after = ConsumerTestSupport.Take(consumer, (int)(200 - pausedAt), TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range((int)pausedAt, (int)(200 - pausedAt)).Select(i => (long)i), after.Select(r => r.Offset));
        Assert.All(after, r => Assert.Equal(0, r.Partition));
    }

    [Fact]
    public void AutoOffsetReset_Latest_None_AndOutOfRange()
    {
        // Goal: no committed offset + latest starts at the end; none throws naming OFFSET_OUT_OF_RANGE; a seek past the
        // end (OFFSET_OUT_OF_RANGE from the broker) resets per policy. Method: one partition with 10 records.
        using var broker = new BrokerProcess();
        KafkaClients.CreateTopic(broker.BootstrapServers, "reset", 1);
        GroupsProduce(broker.BootstrapServers, "reset", 1, 10);
        var tp = new TopicPartition("reset", 0);

        using (FmConsumer latest = ConsumerTestSupport.Create(broker.BootstrapServers, "g-latest", c => c.AutoOffsetReset = AutoOffsetReset.Latest))
        {
            latest.Assign([tp]);
            Assert.Equal(10, latest.Position(tp));
        }
        using (FmConsumer none = ConsumerTestSupport.Create(broker.BootstrapServers, "g-none", c => c.AutoOffsetReset = AutoOffsetReset.None))
        {
            var e = Assert.Throws<ConsumerException>(() => none.Assign([tp]));
            Assert.Equal("OFFSET_OUT_OF_RANGE", e.ErrorName);
        }
        using (FmConsumer earliest = ConsumerTestSupport.Create(broker.BootstrapServers))
        {
            earliest.Assign([new TopicPartitionOffset("reset", 0, 1000)]);
            List<ConsumedRecord> got = ConsumerTestSupport.Take(earliest, 10, TimeSpan.FromSeconds(20));
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), got.Select(r => r.Offset));
        }
    }

    [Fact]
    public void Consume_WithoutData_TimesOut_AndBadArgumentsFailClearly()
    {
        // Goal: Consume returns false after about the timeout when nothing arrives; misuse gives precise errors.
        // Method: an empty topic; Subscribe without a group; Seek of an unassigned partition.
        using var broker = new BrokerProcess();
        KafkaClients.CreateTopic(broker.BootstrapServers, "empty", 1);
        using FmConsumer consumer = ConsumerTestSupport.Create(broker.BootstrapServers);
        consumer.Assign([new TopicPartitionOffset("empty", 0, 0)]);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(consumer.Consume(TimeSpan.FromMilliseconds(300), out FmRecord _));
        Assert.InRange(sw.ElapsedMilliseconds, 250, 5000);
        Assert.Contains("group.id", Assert.Throws<InvalidOperationException>(() => consumer.Subscribe("empty")).Message, StringComparison.Ordinal);
        Assert.Contains("not assigned", Assert.Throws<ArgumentException>(() => consumer.Seek(new TopicPartitionOffset("other", 0, 0))).Message,
            StringComparison.Ordinal);
        var config = new FastMQ.Client.ConsumerConfig();
        Assert.Contains("partition.assignment.strategy",
            Assert.Throws<ArgumentException>(() => config.Set("partition.assignment.strategy", "sticky")).Message, StringComparison.Ordinal);
        Assert.Contains("auto.offset.reset", Assert.Throws<ArgumentException>(() => config.Set("auto.offset.reset", "first")).Message,
            StringComparison.Ordinal);
    }

    internal static void GroupsProduce(string bootstrap, string topic, int partitions, int perPartition) =>
        Groups.GroupTestSupport.Produce(bootstrap, topic, partitions, perPartition);
}
