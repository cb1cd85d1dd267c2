using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.PerfHarness.Workload;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace FastMQ.PerfHarness.Nats;

/// <summary>
/// The produce, consume and e2e workloads against a NATS JetStream peer (NATS.Net), for perf/compare.sh. The stream is
/// named after <c>--topic</c> (subject = the same name), file storage, one replica. Produce: <c>--producers</c> threads,
/// each pipelining up to <see cref="Window"/> publishes and taking their PubAcks in order. Consume: preload,
/// then one pull consumer (no acks, as FastMQ's consumers commit nothing here) reads from the first message. e2e:
/// <see cref="E2eDriver"/> with <see cref="NatsE2ePeer"/> (published without waiting, read by a pull consumer).
/// Publishing goes through <see cref="NatsPublisher"/> (core publish with a reply subject, acks read in order).
/// </summary>
internal sealed class NatsScenario
{
    /// <summary>Publishes in flight per producer (librdkafka keeps far more; NATS.Net's sends are async per message).</summary>
    public const int Window = 2048;
    private readonly HarnessOptions _o;
    private long _errors;
    private string? _firstError;

    public NatsScenario(HarnessOptions o) => _o = o;

    public LatencyRecorder Latency { get; } = new();

    /// <summary>Durability label: NATS 2.9 has no per-stream or server sync setting to match FastMQ's fsync-before-ack.</summary>
    public static DurabilityFacts Durability(HarnessOptions o) => new()
    {
        FlushPolicy = "nats jetstream file storage, " + (o.NatsSync.Length > 0 ? o.NatsSync : "server default sync"),
        FlushIntervalMs = "n/a",
        FlushIntervalBytes = "n/a",
        Acks = "PubAck after the write to the stream file (page cache), before any fsync",
        Source = "stream config set by the harness; --nats-sync label",
    };

    public ScenarioOutcome Run(MeasurementWindow window) => Task.Run(() => RunAsync(window)).GetAwaiter().GetResult();

    private async Task<ScenarioOutcome> RunAsync(MeasurementWindow window)
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = _o.Nats!, Name = "fastmq-perf", SubPendingChannelCapacity = 65536 });
        await nats.ConnectAsync();
        var js = new NatsJSContext(nats);
        await EnsureStream(js);
        switch (_o.Scenario)
        {
            case "nats-produce":
                using (var meter = new ThroughputMeter("nats-pub", () => Latency.TakeIntervalLine("pub-ack")))
                {
                    return Produce(nats, meter, window, _o.Count);
                }
            case "nats-consume":
                return await Consume(nats, js, window);
            default:
                return await E2e(nats, js, window);
        }
    }

    private async Task EnsureStream(NatsJSContext js)
    {
        try
        {
            await js.CreateStreamAsync(new StreamConfig
            {
                Name = _o.Topic,
                Subjects = [_o.Topic],
                Storage = StreamConfigStorage.File,
                NumReplicas = 1,
            });
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == 10058)
        {
            // Stream name already in use: reuse it (the e2e/consume scenarios read from its start).
        }
    }

    private ScenarioOutcome Produce(NatsConnection nats, ThroughputMeter meter, MeasurementWindow? window, long? count)
    {
        var threads = new Thread[_o.Producers];
        window?.Begin();
        long start = Stopwatch.GetTimestamp();
        long deadline = count is null ? start + (long)(_o.DurationS * Stopwatch.Frequency) : long.MaxValue;
        meter.Start();
        for (int i = 0; i < threads.Length; i++)
        {
            long quota = count is long c ? c / threads.Length + (i < c % threads.Length ? 1 : 0) : long.MaxValue;
            int seed = i;
            threads[i] = new Thread(() => PublishLoop(nats, meter, quota, deadline, seed)) { Name = $"perf-nats-pub-{i}" };
            threads[i].Start();
        }
        foreach (Thread t in threads)
        {
            t.Join();
        }
        double elapsed = window?.End() ?? Stopwatch.GetElapsedTime(start).TotalSeconds;
        meter.Stop();
        return new ScenarioOutcome
        {
            Messages = meter.Messages,
            Bytes = meter.Bytes,
            ElapsedS = elapsed,
            Errors = Interlocked.Read(ref _errors),
            FirstError = _firstError ?? "",
            PerSecond = meter.Series,
            BytesPerSecond = meter.BytesSeries,
            ProduceFromSent = LatencySummary.From(Latency.Sent),
        };
    }

    private void PublishLoop(NatsConnection nats, ThroughputMeter meter, long quota, long deadline, int seed)
    {
        var source = new MessageSource(_o.Sizes, 0, 1, seed);
        NatsPublisher publisher = NatsPublisher.Start(nats, _o.Topic, (sent, bytes, error) =>
        {
            if (error is not null)
            {
                meter.AddErrors(1);
                Failed(error);
                return;
            }
            meter.Add(1, bytes);
            Latency.Record(sent, sent, Stopwatch.GetTimestamp());
        });
        try
        {
            for (long k = 0; k < quota; k++)
            {
                long now = Stopwatch.GetTimestamp();
                if ((k & 255) == 0 && now >= deadline)
                {
                    break;
                }
                publisher.Publish(source.Next(out _, out _), now);
            }
            if (!publisher.Drain(TimeSpan.FromSeconds(30)))
            {
                Failed("not every publish was acknowledged within 30 s");
            }
        }
        finally
        {
            publisher.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private void Failed(string error)
    {
        Interlocked.Increment(ref _errors);
        Interlocked.CompareExchange(ref _firstError, error, null);
    }

    private async Task<ScenarioOutcome> Consume(NatsConnection nats, NatsJSContext js, MeasurementWindow window)
    {
        long target = _o.Count ?? 1_000_000;
        long preloaded = 0;
        if (_o.Preload)
        {
            Console.WriteLine($"preloading {target:N0} messages of {_o.Sizes} into stream {_o.Topic} (not measured)...");
            using var preloadMeter = new ThroughputMeter("preload");
            ScenarioOutcome pre = Produce(nats, preloadMeter, null, target);
            preloaded = pre.Messages;
            if (pre.Errors > 0)
            {
                throw new InvalidOperationException($"preload failed: {pre.Errors} errors, first: {pre.FirstError}");
            }
        }
        INatsJSConsumer consumer = await js.CreateOrUpdateConsumerAsync(_o.Topic, new ConsumerConfig
        {
            Name = "perf-" + Guid.NewGuid().ToString("N")[..8],
            AckPolicy = ConsumerConfigAckPolicy.None,
            DeliverPolicy = ConsumerConfigDeliverPolicy.All,
        });
        using var meter = new ThroughputMeter("nats-consume");
        using var cts = new CancellationTokenSource();
        window.Begin();
        meter.Start();
        long idleSince = Stopwatch.GetTimestamp();
        // Stop when everything arrived, or after 10 s without a message.
        using var idle = new Timer(_ =>
        {
            if (Stopwatch.GetElapsedTime(Interlocked.Read(ref idleSince)) > TimeSpan.FromSeconds(10))
            {
                cts.Cancel();
            }
        }, null, 1000, 1000);
        try
        {
            await foreach (NatsJSMsg<byte[]> m in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 4096 }, cancellationToken: cts.Token))
            {
                meter.Add(1, m.Data?.Length ?? 0);
                Interlocked.Exchange(ref idleSince, Stopwatch.GetTimestamp());
                if (meter.Messages >= target)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        double elapsed = window.End();
        meter.Stop();
        return ScenarioOutcome.Consumed(meter, elapsed, target, preloaded,
            static (read, target) => $"only {read} of {target} messages arrived");
    }

    private async Task<ScenarioOutcome> E2e(NatsConnection nats, NatsJSContext js, MeasurementWindow window)
    {
        INatsJSConsumer consumer = await js.CreateOrUpdateConsumerAsync(_o.Topic, new ConsumerConfig
        {
            Name = "perf-" + Guid.NewGuid().ToString("N")[..8],
            AckPolicy = ConsumerConfigAckPolicy.None,
            DeliverPolicy = ConsumerConfigDeliverPolicy.New,
        });
        return new E2eDriver(_o, new NatsE2ePeer(_o, nats, consumer), Latency).Run(window);
    }
}
