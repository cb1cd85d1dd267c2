using System;
using System.Collections.Generic;
using System.Diagnostics;
using FastMQ.PerfHarness.Clients;
using FastMQ.PerfHarness.Workload;

namespace FastMQ.PerfHarness;

/// <summary>
/// The e2e scenario against a Kafka-protocol broker, through the <c>--client</c> producer and consumer: the
/// <see cref="E2eDriver"/> schedule, stamps and histograms. The producer sends keyed messages from
/// <see cref="MessageSource"/> one schedule step at a time (backing off 1 ms when the client's queue is full); the
/// consumer, assigned every partition from the start, polls one message at a time and reads only its stamp.
/// </summary>
internal sealed class E2eScenario : E2ePeer, IDeliverySink
{
    private readonly HarnessOptions _o;
    private readonly string _bootstrap;
    private int _partitions;
    private E2eDriver? _driver;
    private IPerfProducer? _producer;
    private MessageSource? _source;
    private byte[]? _key;
    private int _partition;

    public E2eScenario(HarnessOptions o, string bootstrap)
        : base("e2e")
    {
        _o = o;
        _bootstrap = bootstrap;
    }

    public LatencyRecorder Latency { get; } = new();

    public ScenarioOutcome Run(MeasurementWindow window)
    {
        _partitions = KafkaSetup.PartitionCount(_bootstrap, _o.Topic);
        return new E2eDriver(_o, this, Latency).Run(window);
    }

    public override void Receive(E2eDriver driver)
    {
        using IPerfConsumer consumer = ClientFactory.CreateConsumer(_o, _bootstrap);
        var all = new List<int>();
        for (int p = 0; p < _partitions; p++)
        {
            all.Add(p);
        }
        consumer.AssignFromBeginning(_o.Topic, all);
        Span<byte> head = stackalloc byte[E2eStamp.Bytes];
        // One empty poll so the client has connected and started fetching before the schedule starts.
        consumer.Consume(500, head);
        driver.ReceiverReady();
        while (true)
        {
            int length = consumer.Consume(50, head);
            long now = Stopwatch.GetTimestamp();
            if (length >= 0)
            {
                driver.Received(head, length, now);
            }
            if (driver.Finished)
            {
                return;
            }
        }
    }

    public override void StartSending(E2eDriver driver)
    {
        _driver = driver;
        _producer = ClientFactory.CreateProducer(_o, _bootstrap, _partitions, this);
        _source = new MessageSource(_o.Sizes, _o.Keys, _partitions, 7);
    }

    public override byte[] NextValue() => _source!.Next(out _key, out _partition);

    public override bool TrySend(byte[] value, long sentTicks) => _producer!.TryProduce(_partition, _key, value);

    public override void FlushSends(E2eDriver driver) => _producer!.Flush(TimeSpan.FromSeconds(30));

    public override void StopSending() => _producer?.Dispose();

    public void OnDelivered(int partition, string? error)
    {
        if (error is not null)
        {
            _driver!.Failed(error);
            return;
        }
        _driver!.Delivered();
    }
}
