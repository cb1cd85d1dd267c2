using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.PerfHarness.Workload;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace FastMQ.PerfHarness.Nats;

/// <summary>
/// The e2e scenario against the NATS JetStream peer, measured by <see cref="E2eDriver"/>: each message is published
/// without waiting through <see cref="NatsPublisher"/> (PubAcks are the acks) and read by a pull consumer created by
/// <see cref="NatsScenario"/> (deliver new, no acks), each timed as the consume loop hands it over.
/// </summary>
internal sealed class NatsE2ePeer : E2ePeer
{
    private readonly HarnessOptions _o;
    private readonly NatsConnection _nats;
    private readonly INatsJSConsumer _consumer;
    private NatsPublisher? _publisher;
    private MessageSource? _source;

    public NatsE2ePeer(HarnessOptions o, NatsConnection nats, INatsJSConsumer consumer)
        : base("nats-e2e")
    {
        _o = o;
        _nats = nats;
        _consumer = consumer;
    }

    public override void Receive(E2eDriver driver)
    {
        Task reader = Task.Run(() => ReadAsync(driver));
        // The pull consumer issues its first pull asynchronously; give it time before the schedule starts.
        Thread.Sleep(300);
        driver.ReceiverReady();
        reader.GetAwaiter().GetResult();
    }

    private async Task ReadAsync(E2eDriver driver)
    {
        try
        {
            await foreach (NatsJSMsg<byte[]> m in _consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 4096 }, cancellationToken: driver.Stopping))
            {
                long now = Stopwatch.GetTimestamp();
                if (m.Data is byte[] v)
                {
                    driver.Received(v, v.Length, now);
                }
                if (driver.Finished)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: everything arrived before the last ack, or the drain timeout passed.
        }
    }

    public override void StartSending(E2eDriver driver)
    {
        _source = new MessageSource(_o.Sizes, 0, 1, 7);
        _publisher = NatsPublisher.Start(_nats, _o.Topic, (_, _, error) =>
        {
            if (error is not null)
            {
                driver.Failed(error);
                return;
            }
            driver.Delivered();
        });
    }

    public override byte[] NextValue() => _source!.Next(out _, out _);

    public override bool TrySend(byte[] value, long sentTicks)
    {
        _publisher!.Publish(value, sentTicks);
        return true;
    }

    public override void FlushSends(E2eDriver driver)
    {
        if (!_publisher!.Drain(TimeSpan.FromSeconds(30)))
        {
            driver.Failed("not every publish was acknowledged within 30 s");
        }
    }

    public override void StopSending() => _publisher?.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
