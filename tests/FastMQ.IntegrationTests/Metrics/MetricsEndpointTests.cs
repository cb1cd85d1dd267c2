using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Hardening;
using FastMQ.IntegrationTests.Support;
using Xunit;
using ErrorCode = FastMQ.Protocol.Messages.ErrorCode;
using FetchResponse = FastMQ.Protocol.Messages.FetchResponse;
using ProduceResponse = FastMQ.Protocol.Messages.ProduceResponse;

namespace FastMQ.IntegrationTests.Metrics;

/// <summary>
/// The Prometheus endpoint of a real fastmq-server process (2 shards, metrics on a free loopback port), checked against
/// traffic whose size the test knows: Confluent.Kafka clients and raw protocol requests with exact batch bytes.
/// </summary>
public sealed class MetricsEndpointTests : IClassFixture<MetricsEndpointTests.Broker>
{
    private const short ProduceVersion = 9;
    private const short FetchVersion = 11;

    public sealed class Broker : IDisposable
    {
        public Broker()
        {
            MetricsPort = BrokerProcess.FreePort();
            Process = new BrokerProcess(["--fastmq.shards=2", $"--fastmq.metrics.port={MetricsPort}"]);
        }

        public int MetricsPort { get; }

        public BrokerProcess Process { get; }

        public void Dispose() => Process.Dispose();
    }

    private readonly Broker _fixture;

    public MetricsEndpointTests(Broker fixture) => _fixture = fixture;

    private BrokerProcess Server => _fixture.Process;

    private Task<PrometheusScrape> ScrapeAsync() => PrometheusScrape.GetAsync(_fixture.MetricsPort);

    /// <summary>Scrapes until <paramref name="done"/> holds (counters are read a moment after the responses go out).</summary>
    private async Task<PrometheusScrape> ScrapeUntilAsync(Func<PrometheusScrape, bool> done, int timeoutMs = 10_000)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            PrometheusScrape s = await ScrapeAsync();
            if (done(s) || sw.ElapsedMilliseconds > timeoutMs)
            {
                return s;
            }
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task ConfluentProduceAndConsume_CountersGaugesAndHistogramsMatchTheTraffic()
    {
        // Goal: per-topic byte and record counters, request counts, offsets and latency histograms agree with what a
        // real client did. Method: Confluent.Kafka produces 600 keyed records (acks=all) to a 3-partition topic and a
        // consumer reads them all once from the beginning; then the endpoint is scraped over HTTP: records in and out
        // are 600, bytes out equal bytes in (every batch fetched exactly once, whole), bytes in exceed the payload,
        // log end offsets and high watermarks sum to 600, and each API's histogram count equals its request count.
        const string topic = "metrics-confluent";
        const int records = 600;
        KafkaClients.CreateTopic(Server.BootstrapServers, topic, 3);
        long payload = 0;
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(Server.BootstrapServers))
        {
            for (int i = 0; i < records; i++)
            {
                byte[] key = Encoding.UTF8.GetBytes($"key-{i}");
                byte[] value = Encoding.UTF8.GetBytes($"value-{i}-" + new string('v', 100));
                payload += key.Length + value.Length;
                producer.Produce(topic, new Message<byte[], byte[]> { Key = key, Value = value });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        Assert.Equal(records, KafkaClients.ReadAll(Server.BootstrapServers, topic, 3, records, TimeSpan.FromSeconds(30)).Count);

        (string, string) t = ("topic", topic);
        PrometheusScrape s = await ScrapeUntilAsync(x => x.Value("fastmq_topic_out_records_total", t) == records);
        Assert.Equal("counter", s.TypeOf("fastmq_topic_in_bytes_total"));
        Assert.Equal(records, s.Value("fastmq_topic_in_records_total", t));
        Assert.Equal(records, s.Value("fastmq_topic_out_records_total", t));
        double bytesIn = s.Value("fastmq_topic_in_bytes_total", t) ?? 0;
        Assert.True(bytesIn > payload, $"bytes in {bytesIn} should exceed the {payload} payload bytes (batch and record headers)");
        Assert.Equal(bytesIn, s.Value("fastmq_topic_out_bytes_total", t));

        Assert.Equal("gauge", s.TypeOf("fastmq_partition_log_end_offset"));
        Assert.Equal(3, s.Find("fastmq_partition_log_end_offset", t).Count);
        Assert.Equal(records, s.Sum("fastmq_partition_log_end_offset", t));
        Assert.Equal(records, s.Sum("fastmq_partition_high_watermark", t));
        Assert.Equal(0, s.Sum("fastmq_partition_log_start_offset", t));

        foreach (string api in new[] { "Produce", "Fetch", "Metadata", "ApiVersions" })
        {
            double requests = s.Value("fastmq_requests_total", ("api", api)) ?? 0;
            Assert.True(requests > 0, $"no {api} requests counted");
            AssertHistogram(s, "fastmq_request_duration_seconds", ("api", api));
        }
        // Clients are closed, so nothing is in flight: each API's histogram saw exactly its requests.
        PrometheusScrape quiet = await ScrapeAsync();
        Assert.Equal(quiet.Value("fastmq_requests_total", ("api", "Produce")), quiet.Value("fastmq_request_duration_seconds_count", ("api", "Produce")));
        Assert.Equal(quiet.Value("fastmq_requests_total", ("api", "Fetch")), quiet.Value("fastmq_request_duration_seconds_count", ("api", "Fetch")));
        Assert.True(s.Value("fastmq_produce_durable_seconds_count") >= 1, "no produce-to-durable latency recorded");
        AssertHistogram(s, "fastmq_produce_durable_seconds");

        foreach (string shard in new[] { "0", "1" })
        {
            Assert.True(s.Value("fastmq_shard_loop_turns_total", ("shard", shard)) > 0);
            Assert.NotNull(s.Value("fastmq_shard_mailbox_depth", ("shard", shard)));
            Assert.NotNull(s.Value("fastmq_shard_outbox_pending", ("shard", shard)));
            Assert.NotNull(s.Value("fastmq_shard_stalls_total", ("shard", shard)));
        }
        // The .NET runtime's own metrics ride along.
        Assert.True(s.Value("dotnet_gc_heap_total_allocated_bytes_total") > 0);
        Assert.True(s.Value("process_cpu_seconds_total") > 0);
        Assert.Equal("gauge", s.TypeOf("dotnet_thread_pool_thread_count"));
    }

    [Fact]
    public async Task RawBatches_ByteCountersAreExact()
    {
        // Goal: bytes in count exactly the appended batches, and bytes/records out exactly what fetches returned,
        // including a fetch from the middle of a batch (records before the fetch offset are not counted). Method: raw
        // Produce v9 of 5 batches × 4 records whose sizes the test knows, one Fetch v11 from offset 0 (everything) and
        // one from offset 6 (the batch holding 4-7 and all later ones), then compare with the scrape.
        const string topic = "metrics-raw";
        using var c = new RawKafkaConnection(Server.Port);
        Assert.Equal(ErrorCode.None, KafkaRequests.ReadCreateTopics(c.RoundTrip(KafkaRequests.CreateTopics(7, 1, topic, 1)), 7, 1).Topics[0].ErrorCode);
        long batchBytes = 0;
        var batchSizes = new List<int>();
        for (int b = 0; b < 5; b++)
        {
            var values = new List<byte[]>();
            for (int r = 0; r < 4; r++)
            {
                values.Add(Encoding.UTF8.GetBytes($"batch-{b}-record-{r}-" + new string('x', 10 * (b + 1))));
            }
            byte[] batch = KafkaRequests.Batch(values);
            batchBytes += batch.Length;
            batchSizes.Add(batch.Length);
            ProduceResponse p = KafkaRequests.ReadProduce(c.RoundTrip(KafkaRequests.Produce(ProduceVersion, 10 + b, topic, 0, batch)), ProduceVersion, 10 + b);
            Assert.Equal(ErrorCode.None, p.Topics[0].Partitions[0].ErrorCode);
        }
        FetchResponse all = KafkaRequests.ReadFetch(c.RoundTrip(KafkaRequests.Fetch(FetchVersion, 20, topic, 0, 0)), FetchVersion, 20);
        int allBytes = all.Topics[0].Partitions[0].Records!.Length;
        Assert.Equal(batchBytes, allBytes);
        FetchResponse tail = KafkaRequests.ReadFetch(c.RoundTrip(KafkaRequests.Fetch(FetchVersion, 21, topic, 0, 6)), FetchVersion, 21);
        int tailBytes = tail.Topics[0].Partitions[0].Records!.Length;
        Assert.Equal(batchBytes - batchSizes[0], tailBytes);

        (string, string) t = ("topic", topic);
        PrometheusScrape s = await ScrapeUntilAsync(x => x.Value("fastmq_topic_out_records_total", t) == 20 + 14);
        Assert.Equal(batchBytes, s.Value("fastmq_topic_in_bytes_total", t));
        Assert.Equal(20, s.Value("fastmq_topic_in_records_total", t));
        Assert.Equal(allBytes + tailBytes, s.Value("fastmq_topic_out_bytes_total", t));
        Assert.Equal(20 + 14, s.Value("fastmq_topic_out_records_total", t));
        Assert.Equal(20, s.Value("fastmq_partition_log_end_offset", t, ("partition", "0")));
    }

    [Fact]
    public async Task ConsumerGroupLag_IsProducedMinusCommitted()
    {
        // Goal: the group lag gauge is the high watermark minus the committed offset per partition. Method: produce
        // 300 records to 2 partitions, a group member consumes 120 of them and commits synchronously; then the scrape
        // (retried for the ~2 s the lag snapshot may lag) must show, for each committed partition, its high watermark
        // minus the committed offset, and nothing for partitions without a commit.
        const string topic = "metrics-lag";
        const string group = "metrics-lag-group";
        KafkaClients.CreateTopic(Server.BootstrapServers, topic, 2);
        using (IProducer<byte[], byte[]> producer = KafkaClients.Producer(Server.BootstrapServers))
        {
            for (int i = 0; i < 300; i++)
            {
                producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"k{i}"), Value = Encoding.UTF8.GetBytes($"v{i}") });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        List<TopicPartitionOffset> committed;
        using (IConsumer<byte[], byte[]> consumer = KafkaClients.Consumer(Server.BootstrapServers, cfg =>
        {
            cfg.GroupId = group;
            cfg.EnableAutoCommit = false;
            cfg.AutoOffsetReset = AutoOffsetReset.Earliest;
        }))
        {
            consumer.Subscribe(topic);
            int consumed = 0;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (consumed < 120 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false })
                {
                    consumed++;
                }
            }
            Assert.Equal(120, consumed);
            // Partitions this member read nothing from come back with an unset offset and get no commit.
            committed = consumer.Commit().Where(o => o.Offset.Value >= 0).ToList();
            consumer.Close();
        }
        long committedTotal = committed.Sum(o => o.Offset.Value);
        Assert.Equal(120, committedTotal);

        // The member has left: the snapshot that shows the lag also shows the group Empty (state and members gauges).
        PrometheusScrape s = await ScrapeUntilAsync(x => LagMatches(x, topic, group, committed)
            && x.Value("fastmq_group_state", ("group", group), ("state", "Empty")) == 1, 15_000);
        Assert.Equal("gauge", s.TypeOf("fastmq_group_state"));
        Assert.Single(s.Find("fastmq_group_state", ("group", group)));
        Assert.Equal(0, s.Value("fastmq_group_members", ("group", group)));
        Assert.True(s.Value("fastmq_group_generation", ("group", group)) >= 1, "a group that completed a rebalance has generation ≥ 1");
        Assert.Equal("gauge", s.TypeOf("fastmq_group_lag"));
        // Only partitions with a commit have a lag (as in Kafka's tools); each is its end offset minus the commit.
        Assert.Equal(committed.Count, s.Find("fastmq_group_lag", ("group", group)).Count);
        double expected = 0;
        foreach (TopicPartitionOffset o in committed)
        {
            string partition = o.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            double end = s.Value("fastmq_partition_high_watermark", ("topic", topic), ("partition", partition)) ?? -1;
            Assert.Equal(end - o.Offset.Value, s.Value("fastmq_group_lag", ("group", group), ("topic", topic), ("partition", partition)));
            expected += end - o.Offset.Value;
        }
        Assert.Equal(300, s.Sum("fastmq_partition_high_watermark", ("topic", topic)));
        Assert.True(expected > 0, "the group should still have records to read");
        Assert.Equal(expected, s.Sum("fastmq_group_lag", ("group", group)));
    }

    private static bool LagMatches(PrometheusScrape s, string topic, string group, List<TopicPartitionOffset> committed)
    {
        foreach (TopicPartitionOffset o in committed)
        {
            string partition = o.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            double? end = s.Value("fastmq_partition_high_watermark", ("topic", topic), ("partition", partition));
            if (end is null || s.Value("fastmq_group_lag", ("group", group), ("topic", topic), ("partition", partition)) != end - o.Offset.Value)
            {
                return false;
            }
        }
        return true;
    }

    [Fact]
    public async Task OtherPaths_Get404_AndATakenExplicitPort_FailsStartup()
    {
        // Goal: only /metrics is served, and a metrics port that was set explicitly but cannot be bound stops the
        // broker with exit code 1 instead of running without metrics. Method: GET /; then hold a port with a listener
        // and start a second broker configured to use it.
        using (var http = new HttpClient())
        {
            HttpResponseMessage r = await http.GetAsync(new Uri($"http://127.0.0.1:{_fixture.MetricsPort}/"));
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }

        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        string dataDir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fastmq-it-metrics-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(BrokerProcess.ServerDll);
        psi.ArgumentList.Add($"--listeners=PLAINTEXT://127.0.0.1:{BrokerProcess.FreePort()}");
        psi.ArgumentList.Add($"--log.dirs={dataDir}");
        psi.ArgumentList.Add("--fastmq.shards=1");
        psi.ArgumentList.Add($"--fastmq.metrics.port={port}");
        using Process process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the broker kept running although its metrics port was taken");
        }
        string output = await stdout + await stderr;
        try
        {
            Assert.Equal(1, process.ExitCode);
            Assert.Contains($"Metrics endpoint 127.0.0.1:{port} cannot be opened", output, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>A Prometheus histogram is cumulative: buckets never decrease and +Inf equals the count.</summary>
    private static void AssertHistogram(PrometheusScrape s, string name, params (string Key, string Value)[] labels)
    {
        List<(Dictionary<string, string> Labels, double Value)> buckets = s.Find(name + "_bucket", labels);
        Assert.True(buckets.Count > 10, $"{name}: only {buckets.Count} buckets");
        double previous = 0;
        foreach ((Dictionary<string, string> _, double v) in buckets)
        {
            Assert.True(v >= previous, $"{name}: buckets decrease");
            previous = v;
        }
        Assert.Equal("+Inf", buckets[^1].Labels["le"]);
        Assert.Equal(s.Value(name + "_count", labels), buckets[^1].Value);
        Assert.True(s.Value(name + "_sum", labels) > 0, $"{name}: sum is 0");
        Assert.Equal("histogram", s.TypeOf(name));
    }
}
