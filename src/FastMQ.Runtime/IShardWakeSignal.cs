namespace FastMQ.Runtime;

/// <summary>
/// Wakes a shard that sleeps in a wait of its own (not the shard's parker): for example an eventfd with a READ armed on
/// the shard's io_uring. Installed with <see cref="Shard.SetWakeSignal"/>; called by whichever thread posts a message
/// or calls <see cref="Shard.Wake"/> while the shard sleeps, at most once per sleep.
/// </summary>
public interface IShardWakeSignal
{
    /// <summary>Makes the shard's external wait return soon. Any thread; must not block or allocate.</summary>
    void Signal();
}
