using System;
using System.Diagnostics;
using System.Threading;
using Confluent.Kafka;

namespace FastMQ.PerfHarness;

/// <summary>
/// Produce as fast as the clients can: <c>--producers</c> threads, each with its own Confluent.Kafka producer, hand
/// the same pre-built value to the client in a loop (the client copies it) for <c>--count</c> messages or
/// <c>--duration</c> seconds, then flush. Throughput counts delivery reports without error, from the first send to
/// the last report.
/// </summary>
internal sealed class ProduceScenario
{
    private readonly HarnessOptions _o;
    private readonly string _bootstrap;
    private readonly ThroughputMeter _meter;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private long _errors;
    private string? _firstError;

    public ProduceScenario(HarnessOptions o, string bootstrap, ThroughputMeter meter)
    {
        _o = o;
        _bootstrap = bootstrap;
        _meter = meter;
        _onDelivery = OnDelivery;
    }

    /// <summary>Sends <paramref name="count"/> messages (or for the configured duration when null) and waits for every report.</summary>
    public ScenarioOutcome Run(long? count, MeasurementWindow? window)
    {
        var threads = new Thread[_o.Producers];
        window?.Begin();
        long startTicks = Stopwatch.GetTimestamp();
        long deadlineTicks = startTicks + (long)(_o.DurationS * Stopwatch.Frequency);
        _meter.Start();
        for (int i = 0; i < threads.Length; i++)
        {
            long quota = count is long c ? c / threads.Length + (i < c % threads.Length ? 1 : 0) : long.MaxValue;
            int seed = i;
            threads[i] = new Thread(() => ProduceLoop(quota, deadlineTicks, seed)) { Name = $"perf-producer-{i}" };
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
            Errors = Interlocked.Read(ref _errors),
            FirstError = _firstError ?? "",
            ElapsedS = elapsed,
            PerSecond = _meter.Series,
        };
    }

    private void ProduceLoop(long quota, long deadlineTicks, int seed)
    {
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(KafkaSetup.ProducerConfig(_o, _bootstrap)).Build();
        var message = new Message<byte[], byte[]> { Value = Payload.Create(_o.SizeBytes, seed) };
        string topic = _o.Topic;
        for (long i = 0; i < quota; i++)
        {
            if ((i & 255) == 0 && quota == long.MaxValue && Stopwatch.GetTimestamp() >= deadlineTicks)
            {
                break;
            }
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, _onDelivery);
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // The client's queue is full: the broker is the bottleneck; let it drain a little.
                    Thread.Sleep(1);
                }
            }
        }
        while (producer.Flush(TimeSpan.FromSeconds(60)) > 0)
        {
            Console.WriteLine("producer: still waiting for delivery reports...");
        }
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _errors);
            Interlocked.CompareExchange(ref _firstError, report.Error.ToString(), null);
            return;
        }
        _meter.Add(1, report.Message.Value.Length);
    }
}
