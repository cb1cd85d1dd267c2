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
/// A mailbox message or <see cref="Shard.Wake"/> does not interrupt the ring wait (the shard's parker has no hook for
/// an eventfd), so a message from another shard (a produce reaching a partition's owner, or its reply) waits until
/// the timeout. The timeout therefore adapts: <c>busyWaitUs</c> (50 µs) while the shard did work in the last
/// 2 ms, so cross-shard hops stay short under load, then <c>idleWaitUs</c> (1 ms, the default park time) once it
/// has been idle longer (brief periodic work such as timers then costs only ~2 ms of short waits), so an idle broker costs ~1,000 wake-ups per second per shard. The wait is also cut short by
/// the shard's next timer.
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
            _network.WaitForCompletions(waitNs);
        }
    }

    public void Reset()
    {
        _idleTurns = 0;
        _lastWorkTicks = Stopwatch.GetTimestamp();
    }
}
