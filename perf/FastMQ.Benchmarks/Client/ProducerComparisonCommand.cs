using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastMQ.Protocol.Records;
using FastMQ.Tests.Shared;
using CfProducerConfig = Confluent.Kafka.ProducerConfig;
using FmProducer = FastMQ.Client.Producer;
using FmProducerConfig = FastMQ.Client.ProducerConfig;

namespace FastMQ.Benchmarks.Client;

/// <summary>
/// <c>client-produce</c>: FastMQ.Client's producer, then Confluent.Kafka's, against one fastmq-server process in the
/// same run, same message size and settings; prints msgs/s, MB/s, allocated bytes per message, GC counts per generation,
/// client and broker CPU, and the ratio.
/// </summary>
/// <remarks>
/// Each client writes to its own fresh topic, warms up with <c>--warmup</c> messages (not measured), then produces
/// <c>--count</c> messages and flushes; the clock stops when every delivery report arrived. Allocation is the
/// process-wide <see cref="GC.GetTotalAllocatedBytes(bool)"/> delta (librdkafka's native memory is not in it).
/// Example: <c>dotnet run -c Release --project perf/FastMQ.Benchmarks -- client-produce --size 100 --count 2000000</c>.
/// </remarks>
internal static class ProducerComparisonCommand
{
    private const string Usage =
        "client-produce [--size BYTES=100] [--count N=2000000] [--warmup N=max(1e6, 4e8/size)] [--acks 0|1|all=1] [--linger-ms 5] [--batch-size 1000000]\n" +
        "               [--partitions 1] [--rounds 1] [--flush-policy none|group|fsync=none] [--shards N] [--server-dll PATH | --bootstrap HOST:PORT]\n" +
        "  server dll: --server-dll, else $FASTMQ_SERVER_DLL, else src/FastMQ.Server/bin/Release/net10.0/fastmq-server.dll";

    public static int Run(ReadOnlySpan<string> args)
    {
        int size = 100, partitions = 1, rounds = 1, lingerMs = 5, batchSize = 1_000_000;
        long count = 2_000_000, warmup = -1;
        string acks = "1", flushPolicy = "none";
        int shards = 0;
        string? serverDll = Environment.GetEnvironmentVariable("FASTMQ_SERVER_DLL"), bootstrap = null;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--size": size = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--count": count = long.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--warmup": warmup = long.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--acks": acks = value; i++; break;
                case "--batch-size": batchSize = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--linger-ms": lingerMs = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--partitions": partitions = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--rounds": rounds = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--shards": shards = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--flush-policy": flushPolicy = value; i++; break;
                case "--server-dll": serverDll = value; i++; break;
                case "--bootstrap": bootstrap = value; i++; break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'\n{Usage}");
                    return 2;
            }
        }
        if (acks is not ("0" or "1" or "all"))
        {
            Console.Error.WriteLine($"--acks must be 0, 1 or all\n{Usage}");
            return 2;
        }
        if (warmup < 0)
        {
            // Enough for tier-1 code and for the producer's pools to have held buffer.memory once (steady state).
            warmup = Math.Max(1_000_000, 400_000_000 / Math.Max(size, 1));
        }
        BundledLibrdkafka.EnsureLoaded();
        BenchBroker? broker = null;
        if (bootstrap is null)
        {
            serverDll ??= Path.GetFullPath("src/FastMQ.Server/bin/Release/net10.0/fastmq-server.dll");
            if (!File.Exists(serverDll))
            {
                Console.Error.WriteLine($"fastmq-server.dll not found at {serverDll}\n{Usage}");
                return 2;
            }
            broker = new BenchBroker(serverDll, flushPolicy, shards);
            bootstrap = broker.BootstrapServers;
        }
        try
        {
            Console.WriteLine($"client-produce: {count:N0} × {size} B, acks={acks}, linger.ms={lingerMs}, batch.size={batchSize}, {partitions} partition(s), " +
                $"broker {bootstrap} (flush.policy={flushPolicy}), {Environment.ProcessorCount} cores, load {LoadAverage()}");
            byte[] value = new byte[size];
            new Random(7).NextBytes(value);
            for (int round = 1; round <= rounds; round++)
            {
                ProducerRunResult fm = RunFastMq(bootstrap, $"cmp-fastmq-{round}-{Guid.NewGuid():N}", partitions, value, count, warmup, acks, lingerMs, batchSize, broker);
                ProducerRunResult cf = RunConfluent(bootstrap, $"cmp-confluent-{round}-{Guid.NewGuid():N}", partitions, value, count, warmup, acks, lingerMs, batchSize, broker);
                Print(round, size, fm, cf);
            }
        }
        finally
        {
            broker?.Dispose();
        }
        return 0;
    }

    private static ProducerRunResult RunFastMq(string bootstrap, string topic, int partitions, byte[] value, long count, long warmup,
        string acks, int lingerMs, int batchSize, BenchBroker? broker)
    {
        CreateTopic(bootstrap, topic, partitions);
        var config = new FmProducerConfig { BootstrapServers = bootstrap, BatchSize = batchSize };
        config.Set("acks", acks);
        config.Set("enable.idempotence", acks == "all" ? "true" : "false");
        config.Set("linger.ms", lingerMs.ToString(CultureInfo.InvariantCulture));
        var handler = new CountingDeliveryHandler();
        using var producer = new FmProducer(config);
        for (long i = 0; i < warmup; i++)
        {
            producer.Produce(topic, RecordBytes.Null, value, default, handler);
        }
        producer.Flush(TimeSpan.FromMinutes(2));
        return Measure("FastMQ.Client", count, broker, () =>
        {
            for (long i = 0; i < count; i++)
            {
                producer.Produce(topic, RecordBytes.Null, value, default, handler);
            }
            if (!producer.Flush(TimeSpan.FromMinutes(5)))
            {
                throw new TimeoutException("FastMQ.Client did not deliver everything within 5 minutes");
            }
        }, () => handler.Failed);
    }

    private static ProducerRunResult RunConfluent(string bootstrap, string topic, int partitions, byte[] value, long count, long warmup,
        string acks, int lingerMs, int batchSize, BenchBroker? broker)
    {
        CreateTopic(bootstrap, topic, partitions);
        var config = new CfProducerConfig
        {
            BatchSize = batchSize,
            BootstrapServers = bootstrap,
            Acks = acks switch { "0" => Acks.None, "1" => Acks.Leader, _ => Acks.All },
            EnableIdempotence = acks == "all",
            LingerMs = lingerMs,
        };
        long failed = 0;
        Action<DeliveryReport<byte[], byte[]>> onDelivery = r =>
        {
            if (r.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        // One reused message: the floor of what Confluent.Kafka allocates per message.
        var message = new Message<byte[], byte[]> { Value = value };
        void ProduceOne()
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, onDelivery);
                    return;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(1));
                }
            }
        }
        for (long i = 0; i < warmup; i++)
        {
            ProduceOne();
        }
        producer.Flush(TimeSpan.FromMinutes(2));
        return Measure("Confluent.Kafka", count, broker, () =>
        {
            for (long i = 0; i < count; i++)
            {
                ProduceOne();
            }
            if (producer.Flush(TimeSpan.FromMinutes(5)) != 0)
            {
                throw new TimeoutException("Confluent.Kafka did not deliver everything within 5 minutes");
            }
        }, () => Interlocked.Read(ref failed));
    }

    private static ProducerRunResult Measure(string client, long count, BenchBroker? broker, Action run, Func<long> failures)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        TimeSpan brokerCpu = broker?.CpuTime ?? TimeSpan.Zero;
        var sw = Stopwatch.StartNew();
        run();
        sw.Stop();
        var result = new ProducerRunResult(client, count, sw.Elapsed.TotalSeconds,
            GC.GetTotalAllocatedBytes(precise: true) - allocated,
            GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2,
            (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
            ((broker?.CpuTime ?? TimeSpan.Zero) - brokerCpu).TotalSeconds);
        if (failures() != 0)
        {
            throw new InvalidOperationException($"{client}: {failures()} delivery failures");
        }
        return result;
    }

    private static void Print(int round, int size, ProducerRunResult fm, ProducerRunResult cf)
    {
        Console.WriteLine($"round {round}");
        Console.WriteLine($"  {"client",-16} {"msgs/s",12} {"MB/s",8} {"alloc B/msg",12} {"gen0",6} {"gen1",6} {"gen2",6} {"client CPU s",13} {"broker CPU s",13}");
        foreach (ProducerRunResult r in new[] { fm, cf })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Client,-16} {r.MessagesPerSecond,12:N0} {r.MessagesPerSecond * size / 1e6,8:F1} {r.BytesPerMessage,12:F4} {r.Gen0,6} {r.Gen1,6} {r.Gen2,6} {r.ClientCpuSeconds,13:F2} {r.BrokerCpuSeconds,13:F2}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ratio FastMQ.Client / Confluent.Kafka: {fm.MessagesPerSecond / cf.MessagesPerSecond:F2}× msgs/s"));
    }

    private static void CreateTopic(string bootstrap, string topic, int partitions)
    {
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }])
            .GetAwaiter().GetResult();
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
