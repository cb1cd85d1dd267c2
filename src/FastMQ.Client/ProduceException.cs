using System;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client;

/// <summary>A record could not be produced: the topic is unknown, or delivery failed after retries.</summary>
public sealed class ProduceException : Exception
{
    /// <summary>Creates the exception with the Kafka error that caused it.</summary>
    public ProduceException(ErrorCode error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>The Kafka error code (e.g. UNKNOWN_TOPIC_OR_PARTITION, REQUEST_TIMED_OUT).</summary>
    public ErrorCode Error { get; }
}
