using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastMQ.Tests.Shared;
using CfConsumerConfig = Confluent.Kafka.ConsumerConfig;
using CfProducerConfig = Confluent.Kafka.ProducerConfig;
using FmConsumer = FastMQ.Client.Consumer;
using FmConsumerConfig = FastMQ.Client.ConsumerConfig;
using FmRecord = FastMQ.Client.ConsumeRecord;
using FmTopicPartitionOffset = FastMQ.Client.TopicPartitionOffset;

namespace FastMQ.Benchmarks.Client;

/// <summary>
/// <c>client-consume</c>: preloads a topic once, then reads it all with FastMQ.Client's consumer and then with
/// Confluent.Kafka's, against the same fastmq-server process in the same run; prints msgs/s, MB/s, allocated bytes
/// per message, GC counts per generation and the ratio.
/// </summary>
/// <remarks>
/// Both consumers use manual assignment from offset 0 (no group, no commits), read <c>--warmup</c> records unmeasured
/// (connections, buffer pools, JIT), then touch every value (sum of lengths, so the data is really read) of the next
/// <c>--count</c> records. Before round 1 each client reads the whole topic once, unmeasured: the broker writes its
/// log with O_DIRECT, so right after the preload nothing is in the page cache and the first reader measures the disk
/// (about 300 MB/s here) rather than a client, and the broker's fetch path is still JIT-compiling. Rounds alternate
/// which client goes first. Allocation is the process-wide
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> delta (librdkafka's native buffers are not in it). Example:
/// <c>dotnet run -c Release --project perf/FastMQ.Benchmarks -- client-consume --size 100 --count 2000000</c>.
/// </remarks>
internal static class ConsumerComparisonCommand
{
    private const string Topic = "client-consume-bench";
    private const string Usage =
        "client-consume [--size BYTES=100] [--count N=2000000] [--warmup N=count/5] [--partition-fetch-bytes N=1048576 (both clients)] [--partitions 1] [--rounds 1] [--cold (no warm-up pass: round 1 reads the log from disk)] [--shards N] [--server-dll PATH | --bootstrap HOST:PORT]\n" +
        "  server dll: --server-dll, else $FASTMQ_SERVER_DLL, else src/FastMQ.Server/bin/Release/net10.0/fastmq-server.dll";

    public static int Run(ReadOnlySpan<string> args)
    {
        int size = 100, partitions = 1, rounds = 1, shards = 0;
        bool cold = false;
        int count = 2_000_000;
        int warmup = -1;
        int fetchBytes = 1024 * 1024;
        string? serverDll = Environment.GetEnvironmentVariable("FASTMQ_SERVER_DLL"), bootstrap = null;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--size": size = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--count": count = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--partition-fetch-bytes": fetchBytes = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--warmup": warmup = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--partitions": partitions = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--shards": shards = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--cold": cold = true; break;
                case "--rounds": rounds = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--server-dll": serverDll = value; i++; break;
                case "--bootstrap": bootstrap = value; i++; break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'\n{Usage}");
                    return 2;
            }
        }
        warmup = warmup < 0 ? count / 5 : warmup;
        serverDll ??= System.IO.Path.GetFullPath("src/FastMQ.Server/bin/Release/net10.0/fastmq-server.dll");
        BundledLibrdkafka.EnsureLoaded();
        using BenchBroker? broker = bootstrap is null ? new BenchBroker(serverDll, "none", shards) : null;
        string servers = bootstrap ?? broker!.BootstrapServers;
        Console.WriteLine($"client-consume: {count:N0} x {size} B measured after {warmup:N0} warm-up records, {partitions} partition(s), broker {servers}");
        var sw = Stopwatch.StartNew();
        Preload(servers, size, count + warmup, partitions);
        Console.WriteLine($"preloaded in {sw.Elapsed.TotalSeconds:F1} s");
        if (!cold)
        {
            // Warm broker and page cache, the same pass for both clients (nothing printed): see the remarks.
            sw.Restart();
            RunFastMq(servers, count, warmup, partitions, fetchBytes);
            RunConfluent(servers, count, warmup, partitions, fetchBytes);
            Console.WriteLine($"warm-up pass (each client read the topic once, unmeasured) in {sw.Elapsed.TotalSeconds:F1} s");
        }
        Console.WriteLine("client        msgs/s        MB/s   alloc B/msg   gen0 gen1 gen2   seconds");
        for (int round = 1; round <= rounds; round++)
        {
            bool fastFirst = round % 2 == 1;
            Result confluent = fastFirst ? default : RunConfluent(servers, count, warmup, partitions, fetchBytes);
            Result fast = RunFastMq(servers, count, warmup, partitions, fetchBytes);
            if (fastFirst)
            {
                confluent = RunConfluent(servers, count, warmup, partitions, fetchBytes);
            }
            Print("FastMQ", fast, size);
            Print("Confluent", confluent, size);
            Console.WriteLine($"ratio FastMQ/Confluent: {fast.MessagesPerSecond / confluent.MessagesPerSecond:F2}x msgs/s (round {round}, {(fastFirst ? "FastMQ" : "Confluent")} ran first)");
        }
        return 0;
    }

    private static Result RunFastMq(string servers, int count, int warmup, int partitions, int fetchBytes)
    {
        using var consumer = new FmConsumer(new FmConsumerConfig
        {
            BootstrapServers = servers,
            EnableAutoCommit = false,
            MaxPartitionFetchBytes = fetchBytes,
        });
        var assignment = new List<FmTopicPartitionOffset>();
        for (int p = 0; p < partitions; p++)
        {
            assignment.Add(new FmTopicPartitionOffset(Topic, p, 0));
        }
        consumer.Assign(assignment);
        for (int w = 0; w < warmup;)
        {
            w += consumer.Consume(TimeSpan.FromSeconds(1), out FmRecord _) ? 1 : 0;
        }
        var m = Measure.Start();
        long bytes = 0;
        int read = 0;
        while (read < count && m.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (consumer.Consume(TimeSpan.FromSeconds(1), out FmRecord r))
            {
                bytes += r.Value.Length;
                read++;
            }
        }
        return m.Stop(read, bytes);
    }

    private static Result RunConfluent(string servers, int count, int warmup, int partitions, int fetchBytes)
    {
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(new CfConsumerConfig
        {
            BootstrapServers = servers,
            GroupId = "unused-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = false,
            MaxPartitionFetchBytes = fetchBytes,
        }).Build();
        var assignment = new List<Confluent.Kafka.TopicPartitionOffset>();
        for (int p = 0; p < partitions; p++)
        {
            assignment.Add(new Confluent.Kafka.TopicPartitionOffset(Topic, p, Offset.Beginning));
        }
        consumer.Assign(assignment);
        for (int w = 0; w < warmup;)
        {
            w += consumer.Consume(TimeSpan.FromSeconds(1)) is null ? 0 : 1;
        }
        var m = Measure.Start();
        long bytes = 0;
        int read = 0;
        while (read < count && m.Elapsed < TimeSpan.FromMinutes(2))
        {
            ConsumeResult<byte[], byte[]>? r = consumer.Consume(TimeSpan.FromSeconds(1));
            if (r is not null)
            {
                bytes += r.Message.Value.Length;
                read++;
            }
        }
        Result result = m.Stop(read, bytes);
        consumer.Close();
        return result;
    }

    private static void Preload(string servers, int size, int count, int partitions)
    {
        using (IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers }).Build())
        {
            try
            {
                admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = partitions, ReplicationFactor = 1 }])
                    .GetAwaiter().GetResult();
            }
            catch (CreateTopicsException e) when (e.Results[0].Error.Code == ErrorCode.TopicAlreadyExists)
            {
                // --bootstrap against a broker that still has the topic: it is read from offset 0 anyway.
            }
        }
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(new CfProducerConfig
        {
            BootstrapServers = servers,
            Acks = Acks.Leader,
            LingerMs = 20,
            BatchSize = 1_000_000,
            QueueBufferingMaxMessages = 1_000_000,
            EnableIdempotence = false,
        }).Build();
        byte[] value = new byte[size];
        for (int i = 0; i < count; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(new Confluent.Kafka.TopicPartition(Topic, i % partitions), new Message<byte[], byte[]> { Value = value });
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }
        producer.Flush(TimeSpan.FromMinutes(2));
    }

    private static void Print(string name, Result r, int size) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-10} {r.MessagesPerSecond,12:N0} {r.MessagesPerSecond * size / 1e6,10:F1} {r.AllocatedPerMessage,12:F4}   {r.Gen0,4} {r.Gen1,4} {r.Gen2,4}   {r.Seconds,7:F2}   ({r.Messages:N0} msgs)"));

    private readonly record struct Result(long Messages, double Seconds, double MessagesPerSecond, double AllocatedPerMessage,
        int Gen0, int Gen1, int Gen2);

    private readonly struct Measure
    {
        private readonly Stopwatch _clock;
        private readonly long _allocated;
        private readonly int _gen0;
        private readonly int _gen1;
        private readonly int _gen2;

        private Measure(Stopwatch clock)
        {
            _allocated = GC.GetTotalAllocatedBytes(precise: true);
            _gen0 = GC.CollectionCount(0);
            _gen1 = GC.CollectionCount(1);
            _gen2 = GC.CollectionCount(2);
            _clock = clock;
        }

        public TimeSpan Elapsed => _clock.Elapsed;

        public static Measure Start() => new(Stopwatch.StartNew());

        public Result Stop(long messages, long bytes)
        {
            double seconds = _clock.Elapsed.TotalSeconds;
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
            _ = bytes;
            return new Result(messages, seconds, messages / seconds, (double)allocated / Math.Max(1, messages),
                GC.CollectionCount(0) - _gen0, GC.CollectionCount(1) - _gen1, GC.CollectionCount(2) - _gen2);
        }
    }
}
