namespace FastMQ.Runtime;

/// <summary>
/// What a shard's loop is doing right now, published for a stall detector on another thread: a shard whose
/// <see cref="Shard.Turns"/> stops advancing while its activity is not <see cref="Parked"/> is stuck in that phase.
/// </summary>
public enum ShardActivity
{
    NotStarted = 0,
    /// <summary>Retrying messages to full mailboxes of other shards.</summary>
    FlushingOutbox = 1,
    /// <summary>Running work items from the mailbox.</summary>
    Mailbox = 2,
    /// <summary>Running due timer callbacks.</summary>
    Timers = 3,
    /// <summary>Inside a registered work source (<see cref="Shard.ActivitySource"/> names it).</summary>
    WorkSource = 4,
    /// <summary>In the idle strategy: spinning or yielding after a turn without work.</summary>
    Idle = 5,
    /// <summary>Asleep until a message, <see cref="Shard.Wake"/> or the park timeout.</summary>
    Parked = 6,
    Exited = 7,
}
