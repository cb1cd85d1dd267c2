using System.Threading;
using FastMQ.Runtime;

namespace FastMQ.Network.Uring;

/// <summary>
/// Idle strategy for a shard whose sockets live on its network ring: optionally spin, then yield, then sleep inside
/// io_uring_enter until a completion arrives, a message is posted, the next timer is due, or a timeout passes (the
/// futex park could not be interrupted by a socket event). Owned by one shard.
/// </summary>
/// <remarks>
/// <para>Waking: a mailbox message or <see cref="Shard.Wake"/> ends the ring wait at once: the wait is announced with
/// <see cref="Shard.TryBeginExternalWait"/>, and a poster that finds the shard asleep writes the shard's eventfd, on
/// which a READ is always armed on this ring (<see cref="UringShardNetwork.Signal"/>). The broker registers the same
/// eventfd with the shard's storage ring (<see cref="UringTransport.LinkCompletionWake"/>), so write and fdatasync
/// completions end the wait too; the next shard timer and the turn's <see cref="Shard.PollByNs"/> (a group-commit
/// fdatasync coming due) cut it short. The timeout (<c>waitUs</c>, 1 ms by default) only bounds how late a source
/// that can only be polled is looked at; where storage completions cannot be signalled, the transport shortens it
/// (<see cref="LimitWait"/>).</para>
/// <para>Why no spinning by default: measured on a 2-core machine with clients beside the broker (docs/PERF.md,
/// "Shard idle strategy"), 64 spins + 16 yields + a 50 µs re-check doubled the broker's CPU at 20,000 msg/s and
/// raised the e2e p99 from about 1.8 to 3.5–4 ms, because the spinning shards took the cores the clients needed;
/// a purely event-driven sleep also gave 5 % more produce throughput. Spinning still pays on cores dedicated to the
/// broker, hence <c>fastmq.shard.idle.spins</c>/<c>yields</c>.</para>
/// </remarks>
public sealed class UringIdleStrategy : IIdleStrategy
{
    public const int DefaultWaitUs = 1000;

    private readonly Shard _shard;
    private readonly UringShardNetwork _network;
    private readonly int _maxSpins;
    private readonly int _maxYields;
    private long _waitNs;
    private int _idleTurns;

    public UringIdleStrategy(Shard shard, UringShardNetwork network, int maxSpins = 0, int maxYields = 0, int waitUs = DefaultWaitUs)
    {
        if (maxSpins < 0 || maxYields < 0)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(maxSpins), $"spin and yield counts must be ≥ 0, were {maxSpins} and {maxYields}");
        }
        if (waitUs < 1)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(waitUs), $"the idle wait must be ≥ 1 µs, was {waitUs}");
        }
        _shard = shard;
        _network = network;
        _maxSpins = maxSpins;
        _maxYields = maxYields;
        _waitNs = waitUs * 1000L;
    }

    /// <summary>Longest ring wait now, in microseconds.</summary>
    public long WaitUs => Volatile.Read(ref _waitNs) / 1000;

    /// <summary>Caps the ring wait at <paramref name="waitUs"/> (a work source of the shard cannot wake it). Before the shard starts.</summary>
    public void LimitWait(int waitUs)
    {
        if (waitUs >= 1 && waitUs * 1000L < _waitNs)
        {
            Volatile.Write(ref _waitNs, waitUs * 1000L);
        }
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
        else if (_shard.MailboxCount == 0)
        {
            long waitNs = _waitNs;
            long pollBy = _shard.PollByNs;
            if (pollBy != long.MaxValue)
            {
                // A work source has something due then (a group-commit fdatasync) that no completion will announce.
                long remainingNs = pollBy - _shard.MonotonicNs;
                if (remainingNs <= 0)
                {
                    return;
                }
                waitNs = remainingNs < waitNs ? remainingNs : waitNs;
            }
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

    public void Reset() => _idleTurns = 0;
}
