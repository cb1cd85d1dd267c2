using FastMQ.Protocol.Messages;

namespace FastMQ.Client;

/// <summary>
/// The outcome of one produced record, passed to <see cref="IDeliveryHandler.OnDelivery"/>. A struct passed by
/// reference: reporting allocates nothing.
/// </summary>
public readonly struct DeliveryReport
{
    internal DeliveryReport(string topic, int partition, long offset, long timestampMs, ErrorCode error, string? errorMessage,
        long state, object? stateObject)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        TimestampMs = timestampMs;
        Error = error;
        ErrorMessage = errorMessage;
        State = state;
        StateObject = stateObject;
    }

    /// <summary>The topic the record was produced to.</summary>
    public string Topic { get; }

    /// <summary>The partition the record went to.</summary>
    public int Partition { get; }

    /// <summary>The record's offset; -1 with acks=0, on failure, or when the broker reported a duplicate of an earlier send.</summary>
    public long Offset { get; }

    /// <summary>The record's CreateTime (Unix ms) as sent.</summary>
    public long TimestampMs { get; }

    /// <summary><see cref="ErrorCode.None"/> when the record was delivered; otherwise the Kafka error that ended its retries.</summary>
    public ErrorCode Error { get; }

    /// <summary>A description of the failure (broker message or connection error); null on success.</summary>
    public string? ErrorMessage { get; }

    /// <summary>True when the broker acknowledged the record (or it was written with acks=0).</summary>
    public bool IsSuccess => Error == ErrorCode.None;

    /// <summary>The number the caller passed with the record.</summary>
    public long State { get; }

    /// <summary>The object the caller passed with the record, if any.</summary>
    public object? StateObject { get; }
}
