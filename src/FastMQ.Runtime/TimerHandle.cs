namespace FastMQ.Runtime;

/// <summary>
/// Names one scheduled timer of a <see cref="ShardTimers"/>. The generation makes a handle kept after its timer
/// fired or was cancelled harmless: it no longer matches the reused entry. <c>default</c> names no timer.
/// </summary>
public readonly record struct TimerHandle(int Index, int Generation)
{
    public bool IsNone => Generation == 0;
}
