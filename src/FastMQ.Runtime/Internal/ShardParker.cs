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
/// <para>External waits (<see cref="TryBeginExternalWait"/>) follow the same protocol with a different sleeper: the
/// shard's idle strategy sleeps in its own kernel wait (an io_uring wait with a READ armed on an eventfd) and the
/// waker calls <see cref="IShardWakeSignal.Signal"/> (an eventfd write) instead of setting the event.</para>
/// <para>Exactly one waker calls <see cref="ManualResetEventSlim.Set"/> per park (the one whose exchange takes
/// <c>_parked</c> from 1 to 0); a late set left over from an earlier park only causes one spurious extra turn.</para>
/// </remarks>
internal sealed class ShardParker : IShardParker, IDisposable
{
    private readonly Shard _shard;
    // spinCount 1: the idle strategy has spun and yielded already; the event should go straight to the futex.
    private readonly ManualResetEventSlim _event = new(false, 1);
    // 0 = running; ParkedOnEvent = sleeping on _event; ParkedExternally = sleeping in the owner's own wait (e.g. an
    // io_uring wait with a READ armed on an eventfd), woken through _signal.
    private const int ParkedOnEvent = 1;
    private const int ParkedExternally = 2;

    private int _parked;
    private int _wakeRequested;
    private IShardWakeSignal? _signal;

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

    /// <summary>Installs the wake line for external waits. Before the shard starts; once.</summary>
    public void SetSignal(IShardWakeSignal signal)
    {
        if (Interlocked.CompareExchange(ref _signal, signal, null) is not null)
        {
            throw new InvalidOperationException("the shard already has a wake signal");
        }
    }

    /// <summary>
    /// Announces an external wait (the Dekker store of <see cref="Park"/>) and returns true when the caller may sleep:
    /// nothing is pending. From then until <see cref="EndExternalWait"/> a message or wake calls the signal instead of
    /// setting the event. Requires a signal (<see cref="SetSignal"/>). Shard thread only.
    /// </summary>
    public bool TryBeginExternalWait()
    {
        if (_signal is null)
        {
            throw new InvalidOperationException("external waits need a wake signal (Shard.SetWakeSignal)");
        }
        // Full fence: the announcement is globally visible before we look at the mailbox and the wake flag.
        Interlocked.Exchange(ref _parked, ParkedExternally);
        if (_shard.HasPendingInput() || Interlocked.Exchange(ref _wakeRequested, 0) != 0)
        {
            Volatile.Write(ref _parked, 0);
            return false;
        }
        Parks++;
        _shard.SetActivity(ShardActivity.Parked);
        return true;
    }

    /// <summary>Ends an external wait begun by <see cref="TryBeginExternalWait"/>. Shard thread only.</summary>
    public void EndExternalWait() => Volatile.Write(ref _parked, 0);

    public void Park(int maxTimeoutMs)
    {
        int timeoutMs = _shard.ParkTimeoutMs(maxTimeoutMs);
        if (timeoutMs <= 0)
        {
            return;
        }
        _event.Reset();
        // Full fence: the announcement is globally visible before we look at the mailbox and the wake flag below.
        Interlocked.Exchange(ref _parked, ParkedOnEvent);
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
        if (Volatile.Read(ref _parked) != 0)
        {
            WakeSleeper(Interlocked.Exchange(ref _parked, 0));
        }
    }

    /// <summary>Makes the shard run at least one more full turn soon, even without a message. Any thread.</summary>
    public void Wake()
    {
        // Full fence (Interlocked): the flag is visible before we load _parked, as for a message.
        Interlocked.Exchange(ref _wakeRequested, 1);
        if (Volatile.Read(ref _parked) != 0)
        {
            WakeSleeper(Interlocked.Exchange(ref _parked, 0));
        }
    }

    /// <summary>The one waker that took <c>_parked</c> to 0 wakes the sleeper the way it sleeps.</summary>
    private void WakeSleeper(int parkedAs)
    {
        if (parkedAs == ParkedOnEvent)
        {
            _event.Set();
        }
        else if (parkedAs == ParkedExternally)
        {
            _signal!.Signal();
        }
    }

    public void Dispose() => _event.Dispose();
}
