using System;
using System.Diagnostics;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;
using FmConsumer = FastMQ.Client.Consumer;
using FmRecord = FastMQ.Client.ConsumeRecord;
using TopicPartitionOffset = FastMQ.Client.TopicPartitionOffset;

namespace FastMQ.IntegrationTests.Client.Consumer;

/// <summary>Steady-state allocation of FastMQ.Client's consume path, measured across all threads.</summary>
[Collection(ConsumeAllocationCollection.Name)]
public sealed class ConsumeAllocationTests(ITestOutputHelper output)
{
    private const int Partitions = 2;
    private const int Measured = 10_000_000;
    private const int WarmUp = 500_000;

    [Fact]
    public void Consume_TenMillionRecords_AllocatesUnderOneHundredthOfAByteEach()
    {
        // Goal: consuming 10,000,000 small records in steady state allocates < 0.01 bytes per record in total.
        // Method: preload 10.5 M 8-byte records with librdkafka (large batches), read 0.5 M to warm up (frame pool,
        // buffers, JIT tiering), then take GC.GetTotalAllocatedBytes(precise) before and after reading 10 M more.
        // GetTotalAllocatedBytes counts every thread of the process, so the fetcher threads, the connections' receive
        // threads and the timers are included, not only the thread calling Consume. No group (Assign) and no
        // auto-commit: both are periodic control-plane work, not per-record cost. The test runs in a serial collection
        // so that no other test's allocations are counted. The test also checks that every
        // record arrived in offset order, so the budget is not met by reading less.
        using var broker = new BrokerProcess();
        KafkaClients.CreateTopic(broker.BootstrapServers, "alloc", Partitions);
        var sw = Stopwatch.StartNew();
        Preload(broker.BootstrapServers, (Measured + WarmUp) / Partitions);
        output.WriteLine($"preload {Measured + WarmUp:N0} records: {sw.Elapsed.TotalSeconds:F1} s");

        using FmConsumer consumer = ConsumerTestSupport.Create(broker.BootstrapServers,
            configure: c => c.MaxPartitionFetchBytes = 4 * 1024 * 1024);
        consumer.Assign([new TopicPartitionOffset("alloc", 0, 0), new TopicPartitionOffset("alloc", 1, 0)]);
        long[] next = new long[Partitions];
        Assert.Equal(WarmUp, Read(consumer, WarmUp, next));

        sw.Restart();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        int read = Read(consumer, Measured, next);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        double seconds = sw.Elapsed.TotalSeconds;
        output.WriteLine($"consumed {read:N0} in {seconds:F2} s ({read / seconds:N0}/s), allocated {allocated:N0} B = {(double)allocated / read:F5} B/record");

        Assert.Equal(Measured, read);
        Assert.Equal((Measured + WarmUp) / Partitions, next[0]);
        Assert.Equal((Measured + WarmUp) / Partitions, next[1]);
        Assert.True((double)allocated / read < 0.01, $"{allocated} bytes for {read} records");
    }

    private static int Read(FmConsumer consumer, int count, long[] next)
    {
        int read = 0;
        var deadline = Stopwatch.StartNew();
        while (read < count && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200), out FmRecord r))
            {
                if (r.Offset != next[r.Partition] || r.Value.Length != 8)
                {
                    throw new InvalidOperationException($"partition {r.Partition}: offset {r.Offset}, expected {next[r.Partition]}");
                }
                next[r.Partition]++;
                read++;
            }
        }
        return read;
    }

    private static void Preload(string bootstrap, int perPartition)
    {
        using IProducer<byte[], byte[]> producer = KafkaClients.Producer(bootstrap, c =>
        {
            c.Acks = Acks.Leader;
            c.LingerMs = 20;
            c.BatchSize = 1_000_000;
            c.QueueBufferingMaxMessages = 1_000_000;
            c.QueueBufferingMaxKbytes = 1_048_576;
            c.EnableIdempotence = false;
        });
        byte[] value = new byte[8];
        for (int i = 0; i < perPartition; i++)
        {
            for (int p = 0; p < Partitions; p++)
            {
                while (true)
                {
                    try
                    {
                        producer.Produce(new Confluent.Kafka.TopicPartition("alloc", p), new Message<byte[], byte[]> { Value = value });
                        break;
                    }
                    catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(10));
                    }
                }
            }
        }
        producer.Flush(TimeSpan.FromSeconds(120));
    }
}
