using System.Threading;

namespace FastMQ.PerfHarness;

/// <summary>
/// The peer-specific half of an e2e run (Kafka clients, Redis Streams, NATS JetStream): how to send one message and how
/// to receive. <see cref="E2eDriver"/> owns the rest (schedule, stamps, windows, histograms, live line, result), so
/// every peer is measured the same way. Sending runs on the driver's producer thread, receiving on its consumer thread.
/// The receive side takes the receipt timestamp itself, right after its receive call returns, because only the peer
/// knows where that is (one timestamp per XREAD reply for Redis, per message for the others).
/// </summary>
internal abstract class E2ePeer
{
    protected E2ePeer(string name) => Name = name;

    /// <summary>The live line's label and the thread names' middle part ("e2e", "redis-e2e", "nats-e2e").</summary>
    public string Name { get; }

    /// <summary>
    /// True: every message already due when the producer wakes is sent in one go, all stamped with that wake time, then
    /// <see cref="EndTick"/> (a pipelined write). False: one message per schedule step, each stamped when it is sent.
    /// </summary>
    public virtual bool SendsWholeTick => false;

    public virtual ThreadPriority ProducerPriority => ThreadPriority.AboveNormal;

    /// <summary>
    /// Consumer thread: connect, call <see cref="E2eDriver.ReceiverReady"/> once reading has started, then hand every
    /// payload to <see cref="E2eDriver.Received"/> with the time it arrived, until <see cref="E2eDriver.Finished"/>
    /// (blocking reads must return or be cancelled through <see cref="E2eDriver.Stopping"/>).
    /// </summary>
    public abstract void Receive(E2eDriver driver);

    /// <summary>Producer thread, once the schedule has started: open the sender; report acks to <paramref name="driver"/>.</summary>
    public abstract void StartSending(E2eDriver driver);

    /// <summary>The buffer of the next message; the driver writes the <see cref="E2eStamp"/> into its first bytes.</summary>
    public abstract byte[] NextValue();

    /// <summary>Sends <paramref name="value"/>; false when the client is full (the driver waits 1 ms, restamps, retries).</summary>
    public abstract bool TrySend(byte[] value, long sentTicks);

    /// <summary>After the messages of one schedule step (with <see cref="SendsWholeTick"/>: the pipelined write).</summary>
    public virtual void EndTick()
    {
    }

    /// <summary>After the last message: wait until the peer has answered every send (bounded), reporting shortfalls.</summary>
    public abstract void FlushSends(E2eDriver driver);

    /// <summary>Releases the sender; runs even when sending failed.</summary>
    public virtual void StopSending()
    {
    }
}
