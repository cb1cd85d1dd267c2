using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using FastMQ.PerfHarness.Clients;

namespace FastMQ.PerfHarness;

/// <summary>
/// Read <c>--count</c> messages from the start of the topic as fast as possible with <c>--consumers</c> clients
/// (<c>--client</c>), each assigned a share of the partitions by hand (no consumer group). Unless <c>--no-preload</c>,
/// the topic is first filled with that many messages by the produce scenario (not measured).
/// </summary>
internal sealed class ConsumeScenario
{
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(10);
    private readonly HarnessOptions _o;
    private readonly string _bootstrap;
    private long _target;

    public ConsumeScenario(HarnessOptions o, string bootstrap)
    {
        _o = o;
        _bootstrap = bootstrap;
    }

    public ScenarioOutcome Run(MeasurementWindow window)
    {
        long preloaded = 0;
        _target = _o.Count ?? 1_000_000;
        if (_o.Preload)
        {
            Console.WriteLine($"preloading {_target:N0} messages of {_o.Sizes} into {_o.Topic} (not measured)...");
            using var preloadMeter = new ThroughputMeter("preload");
            ScenarioOutcome pre = new ProduceScenario(_o, _bootstrap, preloadMeter).Run(_target, null, _o.Producers);
            preloaded = pre.Messages;
            if (pre.Errors > 0)
            {
                throw new InvalidOperationException($"preload failed: {pre.Errors} errors, first: {pre.FirstError}");
            }
        }
        int partitions = KafkaSetup.PartitionCount(_bootstrap, _o.Topic);
        using var meter = new ThroughputMeter("consume");
        var threads = new Thread[Math.Min(_o.Consumers, partitions)];
        window.Begin();
        meter.Start();
        for (int i = 0; i < threads.Length; i++)
        {
            var assignment = new List<int>();
            for (int p = i; p < partitions; p += threads.Length)
            {
                assignment.Add(p);
            }
            threads[i] = new Thread(() => ConsumeLoop(assignment, meter)) { Name = $"perf-consumer-{i}" };
            threads[i].Start();
        }
        foreach (Thread t in threads)
        {
            t.Join();
        }
        double elapsed = window.End();
        meter.Stop();
        return ScenarioOutcome.Consumed(meter, elapsed, _target, preloaded,
            static (read, target) => $"only {read} of {target} messages arrived (idle for {IdleLimit.TotalSeconds} s)");
    }

    private void ConsumeLoop(List<int> assignment, ThroughputMeter meter)
    {
        using IPerfConsumer consumer = ClientFactory.CreateConsumer(_o, _bootstrap);
        consumer.AssignFromBeginning(_o.Topic, assignment);
        Span<byte> head = stackalloc byte[E2eStamp.Bytes];
        long idleSince = Stopwatch.GetTimestamp();
        while (meter.Messages < _target && Stopwatch.GetElapsedTime(idleSince) < IdleLimit)
        {
            int length = consumer.Consume(100, head);
            if (length < 0)
            {
                continue;
            }
            meter.Add(1, length);
            idleSince = Stopwatch.GetTimestamp();
        }
    }
}
