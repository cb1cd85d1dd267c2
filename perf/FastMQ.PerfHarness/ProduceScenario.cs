using System.Diagnostics;
using System.Threading;
using FastMQ.PerfHarness.Clients;
using FastMQ.PerfHarness.Workload;

namespace FastMQ.PerfHarness;

/// <summary>
/// Produce as fast as the clients can: <c>--producers</c> threads, each with its own client (<c>--client</c>), hand
/// pre-built values (<c>--size</c>, <c>--keys</c>) to the client in a loop for <c>--count</c> messages or
/// <c>--duration</c> seconds, then flush. Throughput counts delivery reports without error, from the first send to the
/// last report; the produce latency (send call → delivery report) is recorded too (it is mostly client queueing here).
/// </summary>
internal sealed class ProduceScenario
{
    private readonly HarnessOptions _o;
    private readonly string _bootstrap;
    private readonly ThroughputMeter _meter;

    /// <param name="o">The run's options.</param>
    /// <param name="bootstrap">The broker.</param>
    /// <param name="meter">Counts delivered messages; prints the live line.</param>
    /// <param name="latency">Where the send → delivery report latency goes (the live line may read it); null = a new one.</param>
    public ProduceScenario(HarnessOptions o, string bootstrap, ThroughputMeter meter, LatencyRecorder? latency = null)
    {
        _o = o;
        _bootstrap = bootstrap;
        _meter = meter;
        Latency = latency ?? new LatencyRecorder();
    }

    public LatencyRecorder Latency { get; }

    /// <summary>Sends <paramref name="count"/> messages (or for the configured duration when null) and waits for every report.</summary>
    public ScenarioOutcome Run(long? count, MeasurementWindow? window, int producers, int seedBase = 0)
    {
        int partitions = KafkaSetup.PartitionCount(_bootstrap, _o.Topic);
        var tracker = new DeliveryTracker(partitions, _meter, Latency);
        var threads = new Thread[producers];
        long sent = 0;
        window?.Begin();
        long startTicks = Stopwatch.GetTimestamp();
        long deadlineTicks = count is null ? startTicks + (long)(_o.DurationS * Stopwatch.Frequency) : long.MaxValue;
        _meter.Start();
        for (int i = 0; i < threads.Length; i++)
        {
            long quota = count is long c ? c / threads.Length + (i < c % threads.Length ? 1 : 0) : long.MaxValue;
            int seed = seedBase + i;
            threads[i] = new Thread(() =>
            {
                using IPerfProducer producer = ClientFactory.CreateProducer(_o, _bootstrap, partitions, tracker);
                var source = new MessageSource(_o.Sizes, _o.Keys, partitions, seed);
                Interlocked.Add(ref sent, ProducerLoop.Run(producer, source, tracker, null, quota, deadlineTicks, null));
            })
            { Name = $"perf-producer-{i}" };
            threads[i].Start();
        }
        foreach (Thread t in threads)
        {
            t.Join();
        }
        double elapsed = window?.End() ?? Stopwatch.GetElapsedTime(startTicks).TotalSeconds;
        _meter.Stop();
        return new ScenarioOutcome
        {
            Messages = _meter.Messages,
            Bytes = _meter.Bytes,
            Sent = Interlocked.Read(ref sent),
            Errors = tracker.Errors + tracker.Unmatched,
            FirstError = tracker.Unmatched > 0 ? $"{tracker.Unmatched} delivery reports matched no send (out of order)" : tracker.FirstError,
            ElapsedS = elapsed,
            PerSecond = _meter.Series,
            BytesPerSecond = _meter.BytesSeries,
            ProduceFromSent = LatencySummary.From(Latency.Sent),
        };
    }
}
