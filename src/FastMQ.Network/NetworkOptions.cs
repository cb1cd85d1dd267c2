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

    /// <summary>Smallest valid frame: api key, version and correlation id (8 bytes).</summary>
    public const int MinRequestBytes = 8;
}
