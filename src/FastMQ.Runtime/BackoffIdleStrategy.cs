using System.Threading;
using FastMQ.Core;

namespace FastMQ.Runtime;

/// <summary>
/// The default idle strategy: after a turn without work, spin (PAUSE) for <c>maxSpins</c> turns, then
/// <see cref="Thread.Yield"/> for <c>maxYields</c> turns, then park through the shard's <see cref="IShardParker"/>
/// for up to <c>parkMs</c> per turn. Any turn with work starts over. Owned by one shard.
/// </summary>
/// <remarks>
/// Spinning keeps wake-up latency at nanoseconds while traffic is steady; yielding gives the core to other runnable
/// threads without a syscall-level sleep; parking releases the core entirely when the shard is really idle and
/// costs one futex wake (tens of microseconds) for the first message after it.
/// </remarks>
public sealed class BackoffIdleStrategy : IIdleStrategy
{
    /// <summary>Defaults tuned for a shared machine: short spin, short yield, 1 ms park.</summary>
    public const int DefaultMaxSpins = 64;
    public const int DefaultMaxYields = 16;
    public const int DefaultParkMs = 1;

    private readonly IShardParker _parker;
    private readonly int _maxSpins;
    private readonly int _maxYields;
    private readonly int _parkMs;
    private int _idleTurns;

    public BackoffIdleStrategy(IShardParker parker, int maxSpins = DefaultMaxSpins, int maxYields = DefaultMaxYields, int parkMs = DefaultParkMs)
    {
        if (maxSpins < 0 || maxYields < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(maxSpins), $"spin and yield counts must be ≥ 0, were {maxSpins} and {maxYields}");
        }
        if (parkMs < 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(parkMs), $"park time must be ≥ 1 ms, was {parkMs}");
        }
        _parker = parker;
        _maxSpins = maxSpins;
        _maxYields = maxYields;
        _parkMs = parkMs;
    }

    public void Idle(int workCount)
    {
        if (workCount > 0)
        {
            _idleTurns = 0;
            return;
        }
        int turns = _idleTurns;
        if (turns < _maxSpins)
        {
            _idleTurns = turns + 1;
            Thread.SpinWait(1);
        }
        else if (turns < _maxSpins + _maxYields)
        {
            _idleTurns = turns + 1;
            Thread.Yield();
        }
        else
        {
            _parker.Park(_parkMs);
        }
    }

    public void Reset() => _idleTurns = 0;
}
