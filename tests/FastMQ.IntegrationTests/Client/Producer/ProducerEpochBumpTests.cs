using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using Xunit;
using ErrorCode = FastMQ.Protocol.Messages.ErrorCode;
using FmProducer = FastMQ.Client.Producer;

namespace FastMQ.IntegrationTests.Client.Producer;

/// <summary>
/// The idempotent producer after a batch with an assigned sequence number fails for good: it bumps its epoch, restarts
/// the partition's sequence at 0 and keeps delivering, instead of every later batch failing with OUT_OF_ORDER_SEQUENCE_NUMBER.
/// </summary>
public sealed class ProducerEpochBumpTests : IClassFixture<ProducerEpochBumpTests.Broker>
{
    public sealed class Broker : IDisposable
    {
        public BrokerProcess Process { get; } = new(["--fastmq.shards=2"]);

        public void Dispose() => Process.Dispose();
    }

    // The topics accept batches of at most this many bytes; a small record's batch stays well below, a big record alone exceeds it.
    private const int MaxMessageBytes = 2048;

    private readonly BrokerProcess _broker;

    public ProducerEpochBumpTests(Broker fixture) => _broker = fixture.Process;

    // Goal: a record over the topic's max.message.bytes fails alone (MESSAGE_TOO_LARGE) and every record produced after
    // it on the same partition is still delivered, once and in order. Method: a 1-partition topic with a 2048-byte limit;
    // an idempotent acks=all producer with 1 KiB batches pipelines 300 small records, one 3000-byte record, then 300
    // more without waiting in between (batches after the big one are in flight when it fails); the reports are checked
    // (one MESSAGE_TOO_LARGE, no OUT_OF_ORDER, offsets increasing in produce order) and Confluent.Kafka reads the log back.
    [Fact]
    public void TooLargeRecordMidStream_LaterRecordsDeliveredInOrder()
    {
        const string Topic = "fm-epoch-gap";
        const int Small = 300;
        KafkaClients.CreateTopic(_broker.BootstrapServers, Topic, 1,
            new Dictionary<string, string> { ["max.message.bytes"] = MaxMessageBytes.ToString(CultureInfo.InvariantCulture) });
        var handler = new RecordingHandler();
        using (FmProducer producer = CreateProducer())
        {
            for (int i = 0; i < Small; i++)
            {
                ProduceSmall(producer, Topic, handler, i);
            }
            producer.Produce(Topic, 0, Encoding.UTF8.GetBytes("big"), new byte[3000], default, handler, -1);
            for (int i = Small; i < 2 * Small; i++)
            {
                ProduceSmall(producer, Topic, handler, i);
            }
            Assert.True(producer.Flush(TimeSpan.FromSeconds(60)), $"only {handler.Count} of {2 * Small + 1} reported");
        }
        List<RecordingHandler.Delivered> reports = handler.Snapshot();
        Assert.Equal(2 * Small + 1, reports.Count);
        RecordingHandler.Delivered big = Assert.Single(reports, r => r.State == -1);
        Assert.Equal(ErrorCode.MessageTooLarge, big.Error);
        CheckSmallReports(reports, 2 * Small);
        CheckLog(Topic, 0, 2 * Small);
    }

    // Goal: each permanently failed batch costs exactly one epoch bump and keeps the producer id. Method: rounds of 50
    // small records, each flushed, with a too-large record (flushed alone) between rounds; after the round following
    // each failure the producer's epoch has gone up by one and its id is unchanged; all 150 small records are in the log in order.
    [Fact]
    public void EachFailedBatch_BumpsEpochByOne_KeepsProducerId()
    {
        const string Topic = "fm-epoch-steps";
        KafkaClients.CreateTopic(_broker.BootstrapServers, Topic, 1,
            new Dictionary<string, string> { ["max.message.bytes"] = MaxMessageBytes.ToString(CultureInfo.InvariantCulture) });
        var handler = new RecordingHandler();
        using (FmProducer producer = CreateProducer())
        {
            long id = producer.ProducerId;
            short epoch = producer.ProducerEpoch;
            Assert.True(id >= 0);
            int next = 0;
            ProduceRound(producer, Topic, handler, ref next);
            Assert.Equal(epoch, producer.ProducerEpoch);
            for (int failure = 1; failure <= 2; failure++)
            {
                producer.Produce(Topic, 0, Encoding.UTF8.GetBytes("big"), new byte[3000], default, handler, -failure);
                Assert.True(producer.Flush(TimeSpan.FromSeconds(30)));
                ProduceRound(producer, Topic, handler, ref next);
                Assert.Equal((short)(epoch + failure), producer.ProducerEpoch);
                Assert.Equal(id, producer.ProducerId);
            }
        }
        List<RecordingHandler.Delivered> reports = handler.Snapshot();
        Assert.Equal(152, reports.Count);
        Assert.All(reports.FindAll(r => r.State < 0), r => Assert.Equal(ErrorCode.MessageTooLarge, r.Error));
        CheckSmallReports(reports, 150);
        CheckLog(Topic, 0, 150);
    }

    private FmProducer CreateProducer() => ProducerTestSupport.Create(_broker.BootstrapServers, c =>
    {
        c.BatchSize = 1024;
        c.RetryBackoff = TimeSpan.FromMilliseconds(20);
        // Short, so that on a producer that cannot recover the test fails in seconds (as RequestTimedOut), not minutes.
        c.DeliveryTimeout = TimeSpan.FromSeconds(15);
    });

    private static void ProduceSmall(FmProducer producer, string topic, RecordingHandler handler, int index) =>
        producer.Produce(topic, 0, Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes(index.ToString("D8", CultureInfo.InvariantCulture)),
            default, handler, index);

    private static void ProduceRound(FmProducer producer, string topic, RecordingHandler handler, ref int next)
    {
        for (int i = 0; i < 50; i++)
        {
            ProduceSmall(producer, topic, handler, next++);
        }
        Assert.True(producer.Flush(TimeSpan.FromSeconds(30)), $"{handler.Count} reported");
    }

    /// <summary>Small records (state ≥ 0): all delivered, and their offsets increase in produce order.</summary>
    private static void CheckSmallReports(List<RecordingHandler.Delivered> reports, int count)
    {
        var offsets = new long[count];
        int seen = 0;
        foreach (RecordingHandler.Delivered r in reports)
        {
            if (r.State < 0)
            {
                continue;
            }
            Assert.True(r.Error == ErrorCode.None, $"record {r.State}: {r.Error} {r.Message}");
            offsets[r.State] = r.Offset;
            seen++;
        }
        Assert.Equal(count, seen);
        for (int i = 1; i < count; i++)
        {
            Assert.True(offsets[i] > offsets[i - 1], $"record {i} at offset {offsets[i]} after record {i - 1} at {offsets[i - 1]}");
        }
    }

    /// <summary>The partition holds exactly the small records 0..count-1, in that order (no loss, duplicate or reorder).</summary>
    private void CheckLog(string topic, int partition, int count)
    {
        List<ConsumeResult<byte[], byte[]>> got = KafkaClients.ReadAll(_broker.BootstrapServers, topic, 1, count + 1, TimeSpan.FromSeconds(5));
        Assert.Equal(count, got.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(partition, got[i].Partition.Value);
            Assert.Equal(i.ToString("D8", CultureInfo.InvariantCulture), Encoding.UTF8.GetString(got[i].Message.Value));
            if (i > 0)
            {
                Assert.True(got[i].Offset.Value > got[i - 1].Offset.Value);
            }
        }
    }
}
