namespace FastMQ.Runtime;

/// <summary>Lifecycle of a shard. Messages may be sent in every state but <see cref="Stopped"/> and <see cref="Faulted"/>.</summary>
public enum ShardState
{
    /// <summary>Constructed; messages sent now wait in the mailbox until the shard starts.</summary>
    Created = 0,
    Running = 1,
    /// <summary>Stop requested: the loop keeps running until its mailbox and outbox are empty, then exits.</summary>
    Stopping = 2,
    Stopped = 3,
    /// <summary>The loop died of a fatal error (see <see cref="Shard.Fault"/>).</summary>
    Faulted = 4,
}
