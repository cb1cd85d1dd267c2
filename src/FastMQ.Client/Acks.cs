namespace FastMQ.Client;

/// <summary>How many replicas must have a record before the broker acknowledges it (Kafka's <c>acks</c>).</summary>
public enum Acks : short
{
    /// <summary><c>acks=all</c> (-1): every in-sync replica has it, and on FastMQ it passed the flush policy.</summary>
    All = -1,

    /// <summary><c>acks=0</c>: the broker sends no response; delivery reports carry offset -1 once the request is written.</summary>
    None = 0,

    /// <summary><c>acks=1</c>: the partition leader appended it.</summary>
    Leader = 1,
}
