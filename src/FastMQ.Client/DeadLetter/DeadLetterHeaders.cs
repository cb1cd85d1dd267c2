namespace FastMQ.Client.DeadLetter;

/// <summary>
/// Names of the headers <see cref="DeadLetterProcessor"/> adds to a record it sends to a dead-letter topic. Every value
/// is UTF-8 text (numbers in decimal), so any Kafka client can read them; the original headers come first, unchanged.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>The topic the record was consumed from.</summary>
    public const string Topic = "dlq.original.topic";

    /// <summary>Its partition, in decimal.</summary>
    public const string Partition = "dlq.original.partition";

    /// <summary>Its offset, in decimal.</summary>
    public const string Offset = "dlq.original.offset";

    /// <summary>Its timestamp, milliseconds since the Unix epoch, in decimal.</summary>
    public const string Timestamp = "dlq.original.timestamp";

    /// <summary>How many times the handler ran and failed, in decimal.</summary>
    public const string Attempts = "dlq.attempts";

    /// <summary>The full type name of the last failure (e.g. <c>System.FormatException</c>).</summary>
    public const string ErrorType = "dlq.error.type";

    /// <summary>The last failure's message, cut to <see cref="MaxErrorMessageChars"/> characters.</summary>
    public const string ErrorMessage = "dlq.error.message";

    /// <summary>Longest error message written.</summary>
    public const int MaxErrorMessageChars = 1000;
}
