namespace FastMQ.Network;

/// <summary>Limits and sizes for Kafka connections.</summary>
public sealed class NetworkOptions
{
    /// <summary>Largest request frame accepted (Kafka's socket.request.max.bytes). Defaults to 100 MiB.</summary>
    public int MaxRequestBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>Size of a receive buffer; frames larger than this get a buffer of their own size. Defaults to 256 KiB.</summary>
    public int ReceiveBufferBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Requests of one connection being processed or waiting for their response to be sent. When reached, the
    /// connection stops reading until a response goes out (back-pressure, like Kafka muting a channel). Defaults to 64.
    /// </summary>
    public int MaxInFlightRequestsPerConnection { get; set; } = 64;

    /// <summary>
    /// io_uring transport: idle loop turns a shard spins (PAUSE) before it sleeps in its ring. Spinning shortens the
    /// wake-up only on cores dedicated to the broker; where clients or other work share the cores it takes their CPU.
    /// Defaults to 0.
    /// </summary>
    public int IdleSpins { get; set; }

    /// <summary>io_uring transport: idle turns spent in sched_yield after spinning, before the sleep. Defaults to 0.</summary>
    public int IdleYields { get; set; }

    /// <summary>
    /// io_uring transport: longest sleep of an idle shard in its ring. Network and storage completions, cross-shard
    /// messages and the shard's timers end the sleep at once; the timeout only bounds how late a source that can only
    /// be polled is looked at. Defaults to 1,000 µs.
    /// </summary>
    public int IdleWaitUs { get; set; } = 1000;

    /// <summary>Smallest valid frame: api key, version and correlation id (8 bytes).</summary>
    public const int MinRequestBytes = 8;
}
