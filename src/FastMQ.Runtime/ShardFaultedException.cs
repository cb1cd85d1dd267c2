using System;

namespace FastMQ.Runtime;

/// <summary>A shard's loop died of a fatal error; <see cref="Exception.InnerException"/> is that error.</summary>
public sealed class ShardFaultedException : Exception
{
    public ShardFaultedException()
    {
    }

    public ShardFaultedException(string message)
        : base(message)
    {
    }

    public ShardFaultedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
