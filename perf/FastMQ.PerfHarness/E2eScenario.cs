using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Confluent.Kafka;

namespace FastMQ.PerfHarness;

/// <summary>
/// Fixed-rate end-to-end latency. One producer sends <c>--rate</c> messages per second on a schedule: message k is
/// due at the start of the <c>--tick-us</c> tick that contains k / rate, and carries that intended time and the time it
/// was really handed to the client (<see cref="E2eStamp"/>). One consumer, in the same process, reads every partition
/// and records now − intended (corrected for coordinated omission: if the producer stalls, the schedule does not) and
/// now − sent. The first <c>--warmup</c> seconds are not recorded.
/// </summary>
internal sealed class E2eScenario
{
    private readonly HarnessOptions _o;
    private readonly string _bootstrap;
    private readonly LatencyRecorder _latency = new();

    public LatencyRecorder Latency => _latency;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
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
        _onDelivery = OnDelivery;
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
        var producer = new Thread(() => ProduceLoop(t0, totalMessages, window)) { Name = "perf-e2e-producer", Priority = ThreadPriority.AboveNormal };
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
            TargetRatePerS = _o.RatePerS,
            E2eFromIntended = LatencySummary.From(_latency.Intended),
            E2eFromSent = LatencySummary.From(_latency.Sent),
            PacingLag = LatencySummary.From(_latency.PacingLag),
        };
    }

    /// <summary>The measured window opens when the warm-up ends (and closes once the consumer has read everything).</summary>
    private void ProduceLoop(long t0, long total, MeasurementWindow window)
    {
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(KafkaSetup.ProducerConfig(_o, _bootstrap)).Build();
        byte[] value = Payload.Create(_o.SizeBytes, 7);
        var message = new Message<byte[], byte[]> { Value = value };
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
            E2eStamp.Write(value, intended, now);
            while (true)
            {
                try
                {
                    producer.Produce(_o.Topic, message, _onDelivery);
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    Thread.Sleep(1);
                    E2eStamp.Write(value, intended, Stopwatch.GetTimestamp());
                }
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
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(KafkaSetup.ConsumerConfig(_bootstrap)).Build();
        var assignment = new List<TopicPartitionOffset>();
        for (int p = 0; p < partitions; p++)
        {
            assignment.Add(new TopicPartitionOffset(_o.Topic, p, Offset.Beginning));
        }
        consumer.Assign(assignment);
        // One empty poll so the client has connected and started fetching before the schedule starts.
        consumer.Consume(TimeSpan.FromMilliseconds(500));
        ready.Set();
        long doneSince = 0;
        while (true)
        {
            ConsumeResult<byte[], byte[]>? r = consumer.Consume(TimeSpan.FromMilliseconds(50));
            long now = Stopwatch.GetTimestamp();
            if (r?.Message?.Value is byte[] v && E2eStamp.TryRead(v, out long intended, out long sent))
            {
                Interlocked.Increment(ref _received);
                meter.Add(1, v.Length);
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
        consumer.Close();
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _errors);
            Interlocked.CompareExchange(ref _firstError, report.Error.ToString(), null);
            return;
        }
        Interlocked.Increment(ref _delivered);
    }
}
