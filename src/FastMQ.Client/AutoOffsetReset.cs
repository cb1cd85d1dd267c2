namespace FastMQ.Client;

/// <summary>Where a consumer starts in a partition that has no committed offset, or whose offset is out of range.</summary>
public enum AutoOffsetReset
{
    /// <summary>The oldest offset still in the log (<c>earliest</c>).</summary>
    Earliest,

    /// <summary>The end of the log: only records produced from now on (<c>latest</c>).</summary>
    Latest,

    /// <summary>No reset: <see cref="Consumer.Consume(System.TimeSpan, out ConsumeRecord)"/> throws a <see cref="ConsumerException"/> (<c>none</c>).</summary>
    None,
}
