namespace FastMQ.Runtime;

/// <summary>
/// Puts a shard's thread to sleep until a message arrives, someone calls <see cref="Shard.Wake"/>, the next timer
/// is due, or the timeout passes. Obtained from <see cref="Shard.Parker"/> by idle strategies.
/// </summary>
public interface IShardParker
{
    /// <summary>Sleeps at most <paramref name="maxTimeoutMs"/> (≥ 1); returns at once if work is already pending.</summary>
    void Park(int maxTimeoutMs);
}
