using System.Diagnostics;
using System.Threading;
using FastMQ.Runtime;

namespace FastMQ.Network.Uring;

/// <summary>
/// Idle strategy for a shard whose sockets live on its network ring: spin, then yield, then sleep inside
/// io_uring_enter until a network completion arrives or a short timeout passes, instead of the futex park (which a
/// socket event cannot interrupt). Owned by one shard.
/// </summary>
/// <remarks>
/// A mailbox message or <see cref="Shard.Wake"/> ends the ring wait at once: the wait is announced with
/// <see cref="Shard.TryBeginExternalWait"/>, and a poster that finds the shard asleep writes the shard's eventfd, on
/// which a READ is always armed on this ring (<see cref="UringShardNetwork.Signal"/>). The broker registers the same
/// eventfd with the shard's storage ring (<see cref="UringTransport.LinkCompletionWake"/>), so write and fdatasync
/// completions end the wait too. The timeout remains for work that sources find by polling: <c>busyWaitUs</c>
/// (50 µs) while the shard did work in the last 2 ms, then <c>idleWaitUs</c> (1 ms) once it has been idle longer, so
/// an idle broker costs ~1,000 wake-ups per second per shard. The wait is also cut short by the shard's next timer.
/// </remarks>
public sealed class UringIdleStrategy : IIdleStrategy
{
    public const int DefaultBusyWaitUs = 50;
    public const int DefaultIdleWaitUs = 1000;

    /// <summary>Time without work after which the long wait applies.</summary>
    private const long BusyWindowNs = 2_000_000;

    private readonly Shard _shard;
    private readonly UringShardNetwork _network;
    private readonly int _maxSpins;
    private readonly int _maxYields;
    private readonly long _busyWaitNs;
    private readonly long _idleWaitNs;
    private readonly long _busyWindowTicks;
    private int _idleTurns;
    private long _lastWorkTicks;

    public UringIdleStrategy(Shard shard, UringShardNetwork network, int maxSpins = BackoffIdleStrategy.DefaultMaxSpins,
        int maxYields = BackoffIdleStrategy.DefaultMaxYields, int busyWaitUs = DefaultBusyWaitUs, int idleWaitUs = DefaultIdleWaitUs)
    {
        if (busyWaitUs < 1 || idleWaitUs < 1)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(busyWaitUs), $"waits must be ≥ 1 µs, were {busyWaitUs} and {idleWaitUs}");
        }
        _shard = shard;
        _network = network;
        _maxSpins = maxSpins;
        _maxYields = maxYields;
        _busyWaitNs = busyWaitUs * 1000L;
        _idleWaitNs = idleWaitUs * 1000L;
        _busyWindowTicks = BusyWindowNs * Stopwatch.Frequency / 1_000_000_000;
    }

    public void Idle(int workCount)
    {
        if (workCount > 0)
        {
            _idleTurns = 0;
            return;
        }
        int turns = _idleTurns;
        if (turns == 0)
        {
            // First idle turn after work: when the busy spell ended (one vDSO clock read per spell, not per turn).
            _lastWorkTicks = Stopwatch.GetTimestamp();
        }
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
        else if (_shard.MailboxCount == 0)
        {
            _idleTurns = _maxSpins + _maxYields + 1; // stays in this branch; keeps the spell's start (no spin/yield configured)
            long waitNs = Stopwatch.GetTimestamp() - _lastWorkTicks < _busyWindowTicks ? _busyWaitNs : _idleWaitNs;
            long next = _shard.Timers.NextDeadlineMs;
            if (next != long.MaxValue)
            {
                long remainingNs = (next - _shard.Timers.NowMs) * 1_000_000;
                if (remainingNs <= 0)
                {
                    return;
                }
                waitNs = remainingNs < waitNs ? remainingNs : waitNs;
            }
            if (_shard.TryBeginExternalWait())
            {
                _network.WaitForCompletions(waitNs);
                _shard.EndExternalWait();
            }
        }
    }

    public void Reset()
    {
        _idleTurns = 0;
        _lastWorkTicks = Stopwatch.GetTimestamp();
    }
}
