using System;

namespace FastMQ.Client;

/// <summary>
/// Settings of a <see cref="Producer"/>. Properties use .NET names; <see cref="ClientConfig.Set"/> accepts the Kafka
/// (and librdkafka) property names given on each property.
/// </summary>
public sealed class ProducerConfig : ClientConfig
{
    /// <summary>Longest a batch waits for more records before it is sent (<c>linger.ms</c>, <c>queue.buffering.max.ms</c>).</summary>
    /// <remarks>Defaults to 5 ms (librdkafka's default; Java's 5 ms since Kafka 4.0).</remarks>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Largest batch of records sent to one partition in one request, in bytes (<c>batch.size</c>).</summary>
    /// <remarks>
    /// Defaults to 1,000,000, librdkafka's default, rather than Java's 16 KiB: large batches are what makes a
    /// Kafka-protocol producer fast (one request, one CRC, one append per batch). Batch buffers start at 16 KiB and
    /// grow to this size only on partitions that fill them, so idle partitions do not pin a megabyte each.
    /// </remarks>
    public int BatchSize { get; set; } = 1_000_000;

    /// <summary>
    /// Bytes of batch buffers the producer may hold (<c>buffer.memory</c>); when used up, Produce waits up to
    /// <see cref="MaxBlock"/> and TryProduce returns <see cref="ProduceStatus.Full"/>.
    /// </summary>
    /// <remarks>Defaults to 32 MiB (Java's default).</remarks>
    public long BufferMemory { get; set; } = 32L * 1024 * 1024;

    /// <summary>Acknowledgement level requested from the broker (<c>acks</c>: 0, 1, all or -1).</summary>
    /// <remarks>Defaults to <see cref="Acks.All"/>.</remarks>
    public Acks Acks { get; set; } = Acks.All;

    /// <summary>Batch compression (<c>compression.type</c>: none, gzip, snappy, lz4, zstd).</summary>
    /// <remarks>Defaults to <see cref="CompressionType.None"/>.</remarks>
    public CompressionType CompressionType { get; set; } = CompressionType.None;

    /// <summary>
    /// Idempotent producer (<c>enable.idempotence</c>): a producer id and per-partition sequence numbers let the broker
    /// drop duplicates of retried batches, so retries neither duplicate nor reorder records. Requires acks=all.
    /// </summary>
    /// <remarks>Defaults to true. A batch that fails for good after getting its sequence numbers (or an
    /// UNKNOWN_PRODUCER_ID answer) makes the producer bump its epoch and restart every partition's sequence at 0, so
    /// later records are still delivered in order (KIP-360).</remarks>
    public bool EnableIdempotence { get; set; } = true;

    /// <summary>Produce requests in flight per broker connection (<c>max.in.flight.requests.per.connection</c>); at most 5 with idempotence.</summary>
    /// <remarks>Defaults to 5.</remarks>
    public int MaxInFlightRequestsPerConnection { get; set; } = 5;

    /// <summary>How often a failed batch is resent before its records are reported as failed (<c>retries</c>).</summary>
    /// <remarks>Defaults to int.MaxValue: <see cref="DeliveryTimeout"/> bounds retrying instead.</remarks>
    public int Retries { get; set; } = int.MaxValue;

    /// <summary>Wait before resending a failed batch or reconnecting (<c>retry.backoff.ms</c>).</summary>
    /// <remarks>Defaults to 100 ms.</remarks>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound from Produce to the delivery report, retries included (<c>delivery.timeout.ms</c>, <c>message.timeout.ms</c>).</summary>
    /// <remarks>Defaults to 120 seconds.</remarks>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Longest Produce waits for buffer memory or topic metadata before it throws (<c>max.block.ms</c>).</summary>
    /// <remarks>Defaults to 60 seconds.</remarks>
    public TimeSpan MaxBlock { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest Produce request, and so the largest single record (<c>max.request.size</c>, <c>message.max.bytes</c>).</summary>
    /// <remarks>Defaults to 1,048,576 bytes.</remarks>
    public int MaxRequestSize { get; set; } = 1024 * 1024;

    /// <inheritdoc/>
    protected override bool TrySet(string name, string value)
    {
        switch (name)
        {
            case "linger.ms":
            case "queue.buffering.max.ms":
                Linger = ParseMilliseconds(name, value, 0, 900_000);
                return true;
            case "batch.size":
                BatchSize = ParseInt32(name, value, 1, 512 * 1024 * 1024);
                return true;
            case "buffer.memory":
                BufferMemory = ParseInt64(name, value, 1, long.MaxValue);
                return true;
            case "acks":
            case "request.required.acks":
                Acks = value switch
                {
                    "all" or "-1" => Acks.All,
                    "0" => Acks.None,
                    "1" => Acks.Leader,
                    _ => throw new ArgumentException($"'{value}' is not a valid value for '{name}' (expected 0, 1, all or -1)", name),
                };
                return true;
            case "compression.type":
            case "compression.codec":
                CompressionType = value switch
                {
                    "none" => CompressionType.None,
                    "gzip" => CompressionType.Gzip,
                    "snappy" => CompressionType.Snappy,
                    "lz4" => CompressionType.Lz4,
                    "zstd" => CompressionType.Zstd,
                    _ => throw new ArgumentException(
                        $"'{value}' is not a valid value for '{name}' (expected none, gzip, snappy, lz4 or zstd)", name),
                };
                return true;
            case "enable.idempotence":
                EnableIdempotence = ParseBoolean(name, value);
                return true;
            case "max.in.flight.requests.per.connection":
            case "max.in.flight":
                MaxInFlightRequestsPerConnection = ParseInt32(name, value, 1, 1_000_000);
                return true;
            case "retries":
            case "message.send.max.retries":
                Retries = ParseInt32(name, value, 0, int.MaxValue);
                return true;
            case "retry.backoff.ms":
                RetryBackoff = ParseMilliseconds(name, value, 0, 300_000);
                return true;
            case "delivery.timeout.ms":
            case "message.timeout.ms":
                DeliveryTimeout = ParseMilliseconds(name, value, 1, int.MaxValue);
                return true;
            case "max.block.ms":
                MaxBlock = ParseMilliseconds(name, value, 0, int.MaxValue);
                return true;
            case "max.request.size":
            case "message.max.bytes":
                MaxRequestSize = ParseInt32(name, value, 1024, 1024 * 1024 * 1024);
                return true;
            case "partitioner":
                // The only placement implemented is the Java client's: murmur2 of the key, sticky for null keys.
                if (value is not ("murmur2" or "murmur2_random" or "default" or "sticky"))
                {
                    throw new ArgumentException(
                        $"'{value}' is not a supported value for '{name}' (FastMQ.Client places keyed records with murmur2 and null keys stickily: use murmur2_random)", name);
                }
                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc/>
    protected override void Validate()
    {
        base.Validate();
        if (Linger < TimeSpan.Zero)
        {
            throw new ArgumentException($"linger.ms must not be negative, not {Linger}", "linger.ms");
        }
        if (BatchSize < 1)
        {
            throw new ArgumentException($"batch.size must be positive, not {BatchSize}", "batch.size");
        }
        if (BufferMemory < 1)
        {
            throw new ArgumentException($"buffer.memory must be positive, not {BufferMemory}", "buffer.memory");
        }
        if (MaxInFlightRequestsPerConnection < 1)
        {
            throw new ArgumentException("max.in.flight.requests.per.connection must be at least 1", "max.in.flight.requests.per.connection");
        }
        if (!Enum.IsDefined(Acks))
        {
            throw new ArgumentException($"acks {(int)Acks} is not 0, 1 or all", "acks");
        }
        if (!Enum.IsDefined(CompressionType))
        {
            throw new ArgumentException($"compression.type {(int)CompressionType} is not a known codec", "compression.type");
        }
        if (EnableIdempotence)
        {
            // The Java client's rules: without them the broker could not keep retried batches in order and unique.
            if (Acks != Acks.All)
            {
                throw new ArgumentException("enable.idempotence=true requires acks=all (set enable.idempotence=false to use acks 0 or 1)", "acks");
            }
            if (MaxInFlightRequestsPerConnection > 5)
            {
                throw new ArgumentException("enable.idempotence=true requires max.in.flight.requests.per.connection <= 5",
                    "max.in.flight.requests.per.connection");
            }
            if (Retries == 0)
            {
                throw new ArgumentException("enable.idempotence=true requires retries > 0", "retries");
            }
        }
    }

    /// <summary>Validates every setting (throws <see cref="ArgumentException"/> naming the first bad one).</summary>
    internal void ValidateAll() => Validate();
}
