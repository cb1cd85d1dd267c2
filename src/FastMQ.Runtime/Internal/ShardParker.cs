using System;
using System.Threading;

namespace FastMQ.Runtime.Internal;

/// <summary>
/// Sleeps a shard's thread on the idle path and wakes it when a message is published or <see cref="Shard.Wake"/> is
/// called. The only blocking primitive is a <see cref="ManualResetEventSlim"/> used solely when the shard is idle; the
/// send path pays one full fence and one load.
/// </summary>
/// <remarks>
/// <para>No lost wake-up (Dekker-style): the shard stores <c>_parked = 1</c>, fences, then loads the mailbox head slot
/// and the wake flag; a sender stores its message (release of the slot sequence), fences, then loads <c>_parked</c>.
/// With a full fence between each side's store and load, at least one side sees the other's store: either the shard
/// sees the message and does not sleep, or the sender sees <c>_parked == 1</c> and sets the event. The event is reset
/// before <c>_parked</c> is announced, so a set that follows the announcement is never erased.</para>
/// <para>Exactly one waker calls <see cref="ManualResetEventSlim.Set"/> per park (the one whose exchange takes
/// <c>_parked</c> from 1 to 0); a late set left over from an earlier park only causes one spurious extra turn.</para>
/// </remarks>
internal sealed class ShardParker : IShardParker, IDisposable
{
    private readonly Shard _shard;
    // spinCount 1: the idle strategy has spun and yielded already; the event should go straight to the futex.
    private readonly ManualResetEventSlim _event = new(false, 1);
    private int _parked;
    private int _wakeRequested;

    public ShardParker(Shard shard)
    {
        _shard = shard;
    }

    public long Parks { get; private set; }

    /// <summary>
    /// Called once on the shard's thread before its loop: the event allocates its internal lock object the first time
    /// a thread really blocks on it, and that 24-byte allocation must not land in the middle of a running shard.
    /// Costs one 1 ms sleep at start-up.
    /// </summary>
    public void Prepare() => _event.Wait(1);

    public void Park(int maxTimeoutMs)
    {
        int timeoutMs = _shard.ParkTimeoutMs(maxTimeoutMs);
        if (timeoutMs <= 0)
        {
            return;
        }
        _event.Reset();
        // Full fence: the announcement is globally visible before we look at the mailbox and the wake flag below.
        Interlocked.Exchange(ref _parked, 1);
        if (!_shard.HasPendingInput() && Interlocked.Exchange(ref _wakeRequested, 0) == 0)
        {
            Parks++;
            _shard.SetActivity(ShardActivity.Parked);
            _event.Wait(timeoutMs);
        }
        // Plain release store is enough: a sender seeing a stale 1 only sets the event spuriously.
        Volatile.Write(ref _parked, 0);
    }

    /// <summary>Called by a sender after publishing a message into the shard's mailbox. Any thread.</summary>
    public void NotifyMessage()
    {
        // Full fence: our slot publish is globally visible before we load _parked (the sender's half of Dekker).
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _parked) != 0 && Interlocked.Exchange(ref _parked, 0) != 0)
        {
            _event.Set();
        }
    }

    /// <summary>Makes the shard run at least one more full turn soon, even without a message. Any thread.</summary>
    public void Wake()
    {
        // Full fence (Interlocked): the flag is visible before we load _parked, as for a message.
        Interlocked.Exchange(ref _wakeRequested, 1);
        if (Volatile.Read(ref _parked) != 0 && Interlocked.Exchange(ref _parked, 0) != 0)
        {
            _event.Set();
        }
    }

    public void Dispose() => _event.Dispose();
}
