using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using FastMQ.PerfHarness.Clients;
using FastMQ.PerfHarness.Workload;

namespace FastMQ.PerfHarness;

/// <summary>
/// Fixed-rate end-to-end latency. One producer sends <c>--rate</c> messages per second on a schedule: message k is
/// due at the start of the <c>--tick-us</c> tick that contains k / rate, and carries that intended time and the time it
/// was really handed to the client (<see cref="E2eStamp"/>). One consumer, in the same process, reads every partition
/// and records now − intended (corrected for coordinated omission: if the producer stalls, the schedule does not) and
/// now − sent. The first <c>--warmup</c> seconds are not recorded.
/// </summary>
internal sealed class E2eScenario : IDeliverySink
{
    private readonly HarnessOptions _o;
    private readonly string _bootstrap;
    private readonly LatencyRecorder _latency = new();

    public LatencyRecorder Latency => _latency;
    private long _delivered;
    private long _errors;
    private long _received;
    private long _recordFromTicks;
    private string? _firstError;
    private volatile bool _producerDone;

    public E2eScenario(HarnessOptions o, string bootstrap)
    {
        _o = o;
        _bootstrap = bootstrap;
    }

    public ScenarioOutcome Run(MeasurementWindow window)
    {
        int partitions = KafkaSetup.PartitionCount(_bootstrap, _o.Topic);
        using var meter = new ThroughputMeter("e2e", _latency.TakeIntervalLine);
        var consumerReady = new ManualResetEventSlim();
        var consumer = new Thread(() => ConsumeLoop(partitions, meter, consumerReady)) { Name = "perf-e2e-consumer" };
        consumer.Start();
        consumerReady.Wait();
        long totalMessages = (long)((_o.WarmupS + _o.DurationS) * _o.RatePerS);
        long t0 = Stopwatch.GetTimestamp();
        // Volatile: the consumer thread, already running, must see this before the first message can arrive.
        Volatile.Write(ref _recordFromTicks, t0 + (long)(_o.WarmupS * Stopwatch.Frequency));
        meter.Start();
        var producer = new Thread(() => ProduceLoop(t0, totalMessages, window, partitions)) { Name = "perf-e2e-producer", Priority = ThreadPriority.AboveNormal };
        producer.Start();
        producer.Join();
        _producerDone = true;
        consumer.Join();
        double elapsed = window.End();
        meter.Stop();
        long recorded = _latency.Intended.TotalCount;
        return new ScenarioOutcome
        {
            Messages = recorded,
            Bytes = recorded * _o.SizeBytes,
            ElapsedS = elapsed,
            Errors = Interlocked.Read(ref _errors),
            FirstError = _firstError ?? "",
            Missing = Math.Max(0, Interlocked.Read(ref _delivered) - Interlocked.Read(ref _received)),
            PerSecond = meter.Series,
            BytesPerSecond = meter.BytesSeries,
            TargetRatePerS = _o.RatePerS,
            E2eFromIntended = LatencySummary.From(_latency.Intended),
            E2eFromSent = LatencySummary.From(_latency.Sent),
            PacingLag = LatencySummary.From(_latency.PacingLag),
        };
    }

    /// <summary>The measured window opens when the warm-up ends (and closes once the consumer has read everything).</summary>
    private void ProduceLoop(long t0, long total, MeasurementWindow window, int partitions)
    {
        using IPerfProducer producer = ClientFactory.CreateProducer(_o, _bootstrap, partitions, this);
        var source = new MessageSource(_o.Sizes, _o.Keys, partitions, 7);
        var schedule = new FixedRateSchedule(t0, _o.RatePerS, _o.TickUs);
        bool windowOpen = false;
        for (long k = 0; k < total; k++)
        {
            long intended = schedule.IntendedTicks(k);
            long now = FixedRateSchedule.WaitUntil(intended);
            if (!windowOpen && intended >= _recordFromTicks)
            {
                window.Begin();
                windowOpen = true;
            }
            byte[] value = source.Next(out byte[]? key, out int partition);
            E2eStamp.Write(value, intended, now);
            while (!producer.TryProduce(partition, key, value))
            {
                Thread.Sleep(1);
                E2eStamp.Write(value, intended, Stopwatch.GetTimestamp());
            }
        }
        if (!windowOpen)
        {
            window.Begin();
        }
        producer.Flush(TimeSpan.FromSeconds(30));
    }

    private void ConsumeLoop(int partitions, ThroughputMeter meter, ManualResetEventSlim ready)
    {
        using IPerfConsumer consumer = ClientFactory.CreateConsumer(_o, _bootstrap);
        var all = new List<int>();
        for (int p = 0; p < partitions; p++)
        {
            all.Add(p);
        }
        consumer.AssignFromBeginning(_o.Topic, all);
        Span<byte> head = stackalloc byte[E2eStamp.Bytes];
        // One empty poll so the client has connected and started fetching before the schedule starts.
        consumer.Consume(500, head);
        ready.Set();
        long doneSince = 0;
        while (true)
        {
            int length = consumer.Consume(50, head);
            long now = Stopwatch.GetTimestamp();
            if (length >= 0 && E2eStamp.TryRead(head, out long intended, out long sent))
            {
                Interlocked.Increment(ref _received);
                meter.Add(1, length);
                if (intended >= Volatile.Read(ref _recordFromTicks))
                {
                    _latency.Record(intended, sent, now);
                }
            }
            if (_producerDone)
            {
                if (Interlocked.Read(ref _received) >= Interlocked.Read(ref _delivered))
                {
                    break;
                }
                doneSince = doneSince == 0 ? now : doneSince;
                if (now - doneSince > 10 * Stopwatch.Frequency)
                {
                    break;
                }
            }
        }
    }

    public void OnDelivered(int partition, string? error)
    {
        if (error is not null)
        {
            Interlocked.Increment(ref _errors);
            Interlocked.CompareExchange(ref _firstError, error, null);
            return;
        }
        Interlocked.Increment(ref _delivered);
    }
}
