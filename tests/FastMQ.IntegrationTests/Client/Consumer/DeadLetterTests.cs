using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Confluent.Kafka;
using FastMQ.Client.DeadLetter;
using FastMQ.IntegrationTests.Groups;
using FastMQ.IntegrationTests.Support;
using Xunit;
using FmConsumer = FastMQ.Client.Consumer;
using FmProducer = FastMQ.Client.Producer;
using FmProducerConfig = FastMQ.Client.ProducerConfig;
using TopicPartition = FastMQ.Client.TopicPartition;

namespace FastMQ.IntegrationTests.Client.Consumer;

/// <summary>The at-least-once processing loop with retries and a dead-letter topic, on a real broker process.</summary>
public sealed class DeadLetterTests
{
    [Fact]
    public void FailingRecords_AreRetried_ThenDeadLettered_WithHeaders_AndCommitted()
    {
        // Goal: records whose handler always fails go to "<topic>.dlq" after MaxAttempts with the documented headers
        // (and their own key, value and headers); a record failing once succeeds on retry; everything is committed.
        // Method: 20 records; the handler fails for values 3 and 7 always, for 5 once; a librdkafka consumer reads the DLQ.
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        KafkaClients.CreateTopic(broker.BootstrapServers, "orders", 1);
        KafkaClients.CreateTopic(broker.BootstrapServers, "orders.dlq", 1);
        using (IProducer<byte[], byte[]> p = KafkaClients.Producer(broker.BootstrapServers))
        {
            for (int i = 0; i < 20; i++)
            {
                p.Produce("orders", new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes($"k{i}"),
                    Value = Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    Headers = new Headers { { "trace", Encoding.UTF8.GetBytes($"t{i}") } },
                });
            }
            p.Flush(TimeSpan.FromSeconds(30));
        }
        using FmConsumer consumer = ConsumerTestSupport.Create(broker.BootstrapServers, "g-dlq");
        consumer.Subscribe("orders");
        using var producer = new FmProducer(new FmProducerConfig { BootstrapServers = broker.BootstrapServers });
        var seenFive = 0;
        var processor = new DeadLetterProcessor(consumer, producer, record =>
        {
            string v = Encoding.UTF8.GetString(record.Value);
            if (v is "3" or "7")
            {
                throw new InvalidOperationException("bad " + v);
            }
            if (v == "5" && seenFive++ == 0)
            {
                throw new TimeoutException("flaky 5");
            }
        }, new DeadLetterOptions { MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(10) });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (processor.Processed + processor.DeadLettered < 20 && DateTime.UtcNow < deadline)
        {
            processor.ProcessNext(TimeSpan.FromMilliseconds(100));
        }
        processor.CommitNow();

        Assert.Equal(18, processor.Processed);
        Assert.Equal(2, processor.DeadLettered);
        Assert.Equal(5, processor.Retries); // 2 x 2 retries for the dead letters, 1 for the flaky record
        Assert.Equal(20, consumer.Committed([new TopicPartition("orders", 0)], TimeSpan.FromSeconds(5)).Single().Offset);

        List<ConsumeResult<byte[], byte[]>> dead = KafkaClients.ReadAll(broker.BootstrapServers, "orders.dlq", 1, 2, TimeSpan.FromSeconds(20));
        Assert.Equal(["3", "7"], dead.Select(r => Encoding.UTF8.GetString(r.Message.Value)));
        foreach (ConsumeResult<byte[], byte[]> r in dead)
        {
            string v = Encoding.UTF8.GetString(r.Message.Value);
            string H(string name) => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(name));
            Assert.Equal("k" + v, Encoding.UTF8.GetString(r.Message.Key));
            Assert.Equal("t" + v, H("trace"));
            Assert.Equal("orders", H(DeadLetterHeaders.Topic));
            Assert.Equal("0", H(DeadLetterHeaders.Partition));
            Assert.Equal(v, H(DeadLetterHeaders.Offset)); // value i was produced at offset i
            Assert.Equal("3", H(DeadLetterHeaders.Attempts));
            Assert.Equal("System.InvalidOperationException", H(DeadLetterHeaders.ErrorType));
            Assert.Equal("bad " + v, H(DeadLetterHeaders.ErrorMessage));
            Assert.True(long.Parse(H(DeadLetterHeaders.Timestamp), System.Globalization.CultureInfo.InvariantCulture) > 0);
        }
    }
}
