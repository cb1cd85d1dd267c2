using System;

namespace FastMQ.Client;

/// <summary>
/// A consumer operation failed in a way the application must handle: a commit rejected because the group rebalanced,
/// an offset out of range with <c>auto.offset.reset=none</c>, a fenced static member, a broker error.
/// </summary>
public sealed class ConsumerException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public ConsumerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the failure underneath.</summary>
    public ConsumerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with a message and the Kafka error name (e.g. <c>OFFSET_OUT_OF_RANGE</c>).</summary>
    public ConsumerException(string message, string? errorName)
        : base(message)
    {
        ErrorName = errorName;
    }

    /// <summary>Creates an exception without a message (prefer the other constructors).</summary>
    public ConsumerException()
    {
    }

    /// <summary>Kafka's name for the broker error behind this failure, when there is one.</summary>
    public string? ErrorName { get; }
}
