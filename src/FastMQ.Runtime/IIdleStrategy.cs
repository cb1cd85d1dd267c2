namespace FastMQ.Runtime;

/// <summary>
/// Decides what a shard does after a loop turn: nothing after a busy turn, and progressively cheaper waiting
/// (spin, yield, park) after idle ones. Called only by the shard's own thread.
/// </summary>
public interface IIdleStrategy
{
    /// <summary>Called after every turn with the amount of work it did; 0 means the turn found nothing to do.</summary>
    void Idle(int workCount);

    /// <summary>Forget the back-off state (the next idle turn starts again with spinning).</summary>
    void Reset();
}
