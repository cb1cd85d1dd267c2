using System.Diagnostics;
using System.Threading;
using FastMQ.PerfHarness.Clients;
using FastMQ.PerfHarness.Workload;

namespace FastMQ.PerfHarness;

/// <summary>
/// Hold <c>--target-mbps</c> (10^6 B of values per second) for <c>--warmup</c> + <c>--duration</c> seconds with
/// <c>--producers</c> paced producers, each on a <see cref="FixedRateSchedule"/> of target ÷ mean size ÷ producers
/// messages per second. A producer that falls behind its schedule stays behind (nothing is skipped until the deadline,
/// when sending stops), so the delivered rate per second shows whether the target held
/// (<see cref="SustainVerdict"/>), and the latency from the intended send time to the delivery report is corrected for
/// coordinated omission. Only messages intended after the warm-up are recorded.
/// </summary>
internal sealed class SustainScenario
{
    private readonly HarnessOptions _o;
    private readonly string _bootstrap;

    public SustainScenario(HarnessOptions o, string bootstrap)
    {
        _o = o;
        _bootstrap = bootstrap;
    }

    public LatencyRecorder Latency { get; } = new();

    /// <summary>The whole run's schedule in messages per second (all producers of all processes).</summary>
    public double TotalRatePerS => _o.TargetMBps * 1e6 / _o.Sizes.MeanBytes;

    /// <param name="window">Opened when the warm-up ends.</param>
    /// <param name="partitions">Partitions of the topic.</param>
    /// <param name="firstProducer">Index of this process's first producer among all (multi-process runs).</param>
    /// <param name="producers">Producers in this process.</param>
    /// <param name="t0Ticks">Stopwatch time at which the schedule starts (a common wall-clock time in multi-process runs).</param>
    public ScenarioOutcome Run(MeasurementWindow window, int partitions, int firstProducer, int producers, long t0Ticks)
    {
        double perProducer = TotalRatePerS / _o.Producers;
        long recordFrom = t0Ticks + (long)(_o.WarmupS * Stopwatch.Frequency);
        long deadline = recordFrom + (long)(_o.DurationS * Stopwatch.Frequency);
        using var meter = new ThroughputMeter("sustain", () => Latency.TakeIntervalLine("produce"), decimalMegabytes: true);
        var tracker = new DeliveryTracker(partitions, meter, Latency) { RecordFromTicks = recordFrom };
        var threads = new Thread[producers];
        using var ready = new CountdownEvent(producers);
        long sent = 0;
        int windowOpen = 0;
        for (int i = 0; i < producers; i++)
        {
            int seed = firstProducer + i;
            threads[i] = new Thread(() =>
            {
                using IPerfProducer producer = ClientFactory.CreateProducer(_o, _bootstrap, partitions, tracker);
                var source = new MessageSource(_o.Sizes, _o.Keys, partitions, seed);
                // Producers are offset by a fraction of a message interval so they do not all send at the same instant.
                var schedule = new FixedRateSchedule(t0Ticks + (long)(seed * Stopwatch.Frequency / perProducer / _o.Producers), perProducer, _o.TickUs);
                ready.Signal();
                long n = ProducerLoop.Run(producer, source, tracker, schedule, long.MaxValue, deadline, intended =>
                {
                    if (intended >= recordFrom && Interlocked.Exchange(ref windowOpen, 1) == 0)
                    {
                        window.Begin();
                    }
                });
                Interlocked.Add(ref sent, n);
            })
            { Name = $"perf-sustain-{seed}", Priority = ThreadPriority.AboveNormal };
            threads[i].Start();
        }
        ready.Wait();
        FixedRateSchedule.WaitUntil(t0Ticks);
        meter.Start();
        foreach (Thread t in threads)
        {
            t.Join();
        }
        if (Interlocked.Exchange(ref windowOpen, 1) == 0)
        {
            window.Begin();
        }
        double elapsed = window.End();
        meter.Stop();
        long scheduled = (long)(TotalRatePerS * (_o.WarmupS + _o.DurationS) * producers / _o.Producers);
        var verdict = SustainVerdict.Compute(meter.BytesSeries, _o.TargetMBps, _o.WarmupS, _o.DurationS);
        return new ScenarioOutcome
        {
            Messages = meter.Messages,
            Bytes = meter.Bytes,
            Sent = Interlocked.Read(ref sent),
            Scheduled = scheduled,
            ElapsedS = elapsed,
            Errors = tracker.Errors + tracker.Unmatched,
            FirstError = tracker.Unmatched > 0 ? $"{tracker.Unmatched} delivery reports matched no send (out of order)" : tracker.FirstError,
            PerSecond = meter.Series,
            BytesPerSecond = meter.BytesSeries,
            TargetRatePerS = TotalRatePerS,
            Sustain = verdict,
            ProduceFromIntended = LatencySummary.From(Latency.Intended),
            ProduceFromSent = LatencySummary.From(Latency.Sent),
            PacingLag = LatencySummary.From(Latency.PacingLag),
        };
    }
}
