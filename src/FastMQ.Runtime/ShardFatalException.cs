using System;

namespace FastMQ.Runtime;

/// <summary>
/// Thrown by a work item or timer callback that finds its shard unable to go on (corrupted state, lost device).
/// Unlike other exceptions from work items it is not logged-and-continued: the shard stops and reports a fault.
/// </summary>
public sealed class ShardFatalException : Exception
{
    public ShardFatalException()
    {
    }

    public ShardFatalException(string message)
        : base(message)
    {
    }

    public ShardFatalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
