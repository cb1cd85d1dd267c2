using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Confluent.Kafka;
using FastMQ.Protocol.Records;
using Xunit;

namespace FastMQ.Protocol.Tests.Capture;

/// <summary>
/// Produces <see cref="FixtureMessages.All"/> with Confluent.Kafka into a <see cref="FakeKafkaBroker"/> and returns
/// the RecordBatch bytes the client sent. Uses the librdkafka bundled with the NuGet package, never a system copy
/// (kafka-protocol.md §0.7: Debian's librdkafka 2.0.2 may be installed, e.g. by kcat).
/// </summary>
internal static class ConfluentCapture
{
    private static readonly object LoadLock = new();
    private static bool s_resolverSet;

    /// <summary>
    /// Loads the bundled librdkafka once per process and returns its version string. Confluent.Kafka binds
    /// librdkafka through <c>[DllImport]</c>; a resolver on its assembly maps those names to the package's own files
    /// only. The package's default build needs libsasl2.so.3, which Debian does not have; when it fails to load,
    /// plain probing would fall through to a system librdkafka (Debian's 2.0.2, kafka-protocol.md §0.7), so the
    /// resolver tries the package's self-contained "centos8" build next instead.
    /// </summary>
    public static string EnsureBundledLibrdkafka()
    {
        lock (LoadLock)
        {
            if (!s_resolverSet)
            {
                string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
                string folder = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
                string[] candidates =
                [
                    Path.Combine(folder, "librdkafka.so"),
                    Path.Combine(folder, "centos8-librdkafka.so"),
                ];
                Assert.True(File.Exists(candidates[0]), $"bundled librdkafka not found in {folder}");
                NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) =>
                {
                    if (!name.Contains("rdkafka", StringComparison.Ordinal))
                    {
                        return IntPtr.Zero;
                    }
                    foreach (string candidate in candidates)
                    {
                        if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out IntPtr handle))
                        {
                            return handle;
                        }
                    }
                    throw new DllNotFoundException($"no bundled librdkafka in {folder} loads on this machine");
                });
                s_resolverSet = true;
            }
            Library.Load();
            return Library.VersionString;
        }
    }

    public static CompressionType ToConfluent(CompressionCodec codec) => codec switch
    {
        CompressionCodec.None => CompressionType.None,
        CompressionCodec.Gzip => CompressionType.Gzip,
        CompressionCodec.Snappy => CompressionType.Snappy,
        CompressionCodec.Lz4 => CompressionType.Lz4,
        CompressionCodec.Zstd => CompressionType.Zstd,
        _ => throw new ArgumentOutOfRangeException(nameof(codec)),
    };

    /// <summary>Runs one producer session and returns the captured batch.</summary>
    public static async Task<byte[]> CaptureAsync(CompressionCodec codec)
    {
        EnsureBundledLibrdkafka();
        using var broker = new FakeKafkaBroker();
        var config = new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            CompressionType = ToConfluent(codec),
            // Linger long enough for all five messages to land in one batch.
            LingerMs = 200,
            BatchNumMessages = 1000,
            Acks = Acks.Leader,
            EnableIdempotence = false,
            MessageTimeoutMs = 15000,
            SocketTimeoutMs = 10000,
        };
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var deliveries = new List<Task<DeliveryResult<byte[], byte[]>>>();
        var partition = new TopicPartition(FixtureMessages.Topic, new Partition(0));
        foreach (ExpectedRecord record in FixtureMessages.All)
        {
            var headers = new Headers();
            foreach ((string key, byte[]? value) in record.Headers)
            {
                headers.Add(key, value);
            }
            var message = new Message<byte[], byte[]>
            {
                Key = record.Key!,
                Value = record.Value!,
                Headers = headers,
                Timestamp = new Timestamp(record.TimestampMs, TimestampType.CreateTime),
            };
            deliveries.Add(producer.ProduceAsync(partition, message));
        }
        Task<byte[]> captured = broker.FirstProducedRecords;
        Task done = await Task.WhenAny(captured, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(
            done == captured,
            $"no Produce request within 30 s; requests seen: {string.Join(", ", broker.RequestLog)}");
        byte[] batch = await captured;
        DeliveryResult<byte[], byte[]>[] results = await Task.WhenAll(deliveries).WaitAsync(TimeSpan.FromSeconds(30));
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(PersistenceStatus.Persisted, results[i].Status);
            Assert.Equal(i, results[i].Offset.Value);
        }
        return batch;
    }
}
