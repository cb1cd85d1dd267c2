namespace FastMQ.Runtime;

/// <summary>
/// Something a shard polls on every loop turn besides its mailbox and timers: a storage device's completion queue,
/// a socket set, a group-commit policy. Registered with <see cref="Shard.AddWorkSource"/>.
/// </summary>
/// <remarks>
/// <see cref="DoWork"/> runs on the shard's thread and must not block; it returns how much it did (0 = nothing),
/// which drives the idle strategy. A turn in which every source returns 0 may park the shard for up to the idle
/// strategy's park time, so a source whose events cannot wake the shard (for example io_uring completions) is
/// polled at least that often; an external thread that produces work for it may call <see cref="Shard.Wake"/>, and a
/// source with work due at a known time calls <see cref="Shard.PollBy"/> during the turn.
/// An exception from <see cref="DoWork"/> is fatal to the shard (a source that throws has lost track of its own
/// state); sources handle their per-operation errors themselves.
/// </remarks>
public interface IShardWorkSource
{
    /// <summary>Short name for logs and the stall detector ("storage", "network").</summary>
    string Name { get; }

    int DoWork(Shard shard, long nowNs);
}
