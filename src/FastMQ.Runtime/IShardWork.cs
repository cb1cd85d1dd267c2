namespace FastMQ.Runtime;

/// <summary>
/// A unit of work run on a shard's thread. Instances are long-lived: either stateless handlers shared by many
/// messages (the per-message data travels in <see cref="ShardMessage"/>'s fields) or pooled objects the sender
/// rents, fills and gets back (for example in a reply message), so sending allocates nothing.
/// </summary>
/// <remarks>
/// <see cref="Execute"/> runs on the target shard's thread, never concurrently with other work of that shard.
/// It must not block (no locks, waits, sleeps or synchronous I/O). An exception is logged by the shard, counted in
/// <see cref="Shard.WorkItemFailures"/> and the loop goes on; throw <see cref="ShardFatalException"/> to stop the shard.
/// </remarks>
public interface IShardWork
{
    void Execute(Shard shard, in ShardMessage message);
}
