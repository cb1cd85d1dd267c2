namespace FastMQ.Runtime;

/// <summary>
/// Called when a timer of <see cref="ShardTimers"/> is due, on the owning shard's thread. Implementations are
/// long-lived objects (a fetch session, a commit policy); per-timer data travels in <c>state</c> and <c>arg</c>.
/// </summary>
/// <remarks>The timer is already released when this runs, so the callback may schedule or cancel timers freely.</remarks>
public interface IShardTimerCallback
{
    void OnTimer(TimerHandle handle, object? state, long arg, long nowMs);
}
