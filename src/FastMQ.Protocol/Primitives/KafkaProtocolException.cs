using System;

namespace FastMQ.Protocol.Primitives;

/// <summary>
/// Thrown when bytes from a peer do not form a valid Kafka message: truncated data, negative or oversized lengths,
/// null where the schema forbids it, malformed varints, unknown versions, trailing bytes.
/// </summary>
/// <remarks>
/// The message names the offending item and its byte offset within the buffer the reader was given, so a log line
/// is enough to locate the fault. Decoders throw it before handing out any part of a structure that fails to parse,
/// so callers never act on half of a malformed request.
/// </remarks>
public sealed class KafkaProtocolException : Exception
{
    public KafkaProtocolException(string message)
        : base(message)
    {
    }

    public KafkaProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
