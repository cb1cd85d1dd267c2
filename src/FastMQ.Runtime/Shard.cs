using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using FastMQ.Core;
using FastMQ.Runtime.Internal;
using Microsoft.Extensions.Logging;

namespace FastMQ.Runtime;

/// <summary>
/// One shard: a dedicated thread (<c>fastmq-shard-N</c>, pinned to its CPU) running an event loop that owns a set of
/// partitions. Every turn it flushes its outbox, runs work items from its mailbox, fires due timers and polls its
/// registered work sources; a turn that did nothing goes to the idle strategy (spin, yield, park).
/// </summary>
/// <remarks>
/// <para>Created and started by <see cref="ShardSet"/>. Thread rules: everything that touches shard state
/// (<see cref="Post"/>, <see cref="TryPost"/>, <see cref="Timers"/>, <see cref="AddWorkSource"/> after start) runs on
/// the shard's thread, i.e. inside a work item, timer callback or work source. Other threads talk to a shard only by
/// sending messages (<see cref="ShardSet.Send"/>, <see cref="ShardSet.TrySend"/>) or calling <see cref="Wake"/>; the
/// counters are readable from anywhere.</para>
/// <para>Errors: an exception from a work item or timer callback is logged, counted and skipped. An exception from a
/// work source or the loop itself, or a <see cref="ShardFatalException"/>, is fatal: the shard logs it as critical,
/// records it in <see cref="Fault"/>, calls <see cref="ShardSetOptions.OnFatalError"/> and its thread ends.</para>
/// <para>Stopping drains: after a stop request the loop keeps turning until its mailbox and outbox are empty.</para>
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "ShardSet owns shard lifecycles and releases their events once the threads have ended")]
public sealed partial class Shard
{
    [ThreadStatic]
    private static Shard? s_current;

    private readonly ShardSet _set;
    private readonly IClock _clock;
    private long _pollByNs = long.MaxValue;
    private readonly ILogger _logger;
    private readonly MpscRing<ShardMessage> _mailbox;
    private readonly Outbox _outbox;
    private readonly ShardParker _parker;
    private readonly int _batchLimit;
    private readonly int _cpu;
    private readonly ManualResetEventSlim _started = new(false);
    private IIdleStrategy _idle;
    private IShardWorkSource[] _sources = [];
    private Thread? _thread;
    private Exception? _fault;
    private int _state;
    private int _exitAllowed;
    private int _pinnedCpu = -1;
    private int _threadId;
    private int _activity;
    private int _activitySource = -1;
    // Stall-detector breadcrumbs (no behaviour change): the type and kind of the mailbox work item running now or last.
    // A Type reference and an int, written before each work item: no allocation, one store each.
    private Type? _currentWorkType;
    private int _currentWorkKind;
    private long _turns;
    private long _lastTurnStartNs;
    private long _messagesProcessed;
    private long _workItemFailures;
    private long _blockedSends;
    private long _workDone;

    internal Shard(ShardSet set, ShardId id, int cpu, ShardSetOptions options, ILogger logger)
    {
        _set = set;
        Id = id;
        _cpu = cpu;
        _clock = options.Clock;
        _logger = logger;
        _mailbox = new MpscRing<ShardMessage>(options.MailboxCapacity);
        _outbox = new Outbox(options.ShardCount);
        _parker = new ShardParker(this);
        _batchLimit = options.MailboxBatchLimit;
        Timers = new ShardTimers(_clock, logger, options.InitialTimerCapacity);
        _idle = options.IdleStrategyFactory?.Invoke(this)
            ?? new BackoffIdleStrategy(_parker, options.IdleSpins, options.IdleYields, options.IdleParkMs);
    }

    /// <summary>The shard running on the calling thread (inside its loop or <see cref="DoWork"/>), else null.</summary>
    public static Shard? Current => s_current;

    public ShardId Id { get; }

    public ShardSet Set => _set;

    /// <summary>This shard's timers; use only on the shard's thread.</summary>
    public ShardTimers Timers { get; }

    /// <summary>For idle strategies: sleeps the shard until a message, a wake, the next timer or the timeout.</summary>
    public IShardParker Parker => _parker;

    /// <summary>Messages waiting in the mailbox (a snapshot when read from another thread).</summary>
    public int MailboxCount => _mailbox.Count;

    /// <summary>Slots in the mailbox.</summary>
    public int MailboxCapacity => _mailbox.Capacity;

    internal MpscRing<ShardMessage> Mailbox => _mailbox;

    public ShardState State => (ShardState)Volatile.Read(ref _state);

    /// <summary>The error that killed the loop, once <see cref="State"/> is <see cref="ShardState.Faulted"/>.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>The CPU this shard should run on (−1 = not pinned by configuration).</summary>
    public int Cpu => _cpu;

    /// <summary>The CPU the thread was pinned to, or −1 if pinning was off or failed (see the log).</summary>
    public int PinnedCpu => Volatile.Read(ref _pinnedCpu);

    /// <summary>Managed id of the shard's thread (0 before it started; the caller's thread in manual mode).</summary>
    public int ManagedThreadId => Volatile.Read(ref _threadId);

    /// <summary>True when called from this shard's loop (its thread, or inside <see cref="DoWork"/> in manual mode).</summary>
    public bool IsCurrent => ReferenceEquals(s_current, this);

    /// <summary>Current monotonic time in milliseconds, the unit of <see cref="Timers"/>.</summary>
    public long NowMs => Timers.NowMs;

    // Counters for monitoring and the stall detector; written by the shard thread, readable from any thread.

    /// <summary>Loop turns started.</summary>
    public long Turns => Volatile.Read(ref _turns);

    /// <summary>Monotonic time (<see cref="IClock.MonotonicNs"/>) when the current or last turn started.</summary>
    public long LastTurnStartNs => Volatile.Read(ref _lastTurnStartNs);

    /// <summary>The phase of the loop right now.</summary>
    public ShardActivity Activity => (ShardActivity)Volatile.Read(ref _activity);

    /// <summary>The work source being polled when <see cref="Activity"/> is <see cref="ShardActivity.WorkSource"/>.</summary>
    public string? ActivitySource
    {
        get
        {
            int i = Volatile.Read(ref _activitySource);
            IShardWorkSource[] sources = Volatile.Read(ref _sources);
            return (uint)i < (uint)sources.Length ? sources[i].Name : null;
        }
    }

    /// <summary>
    /// Type of the mailbox work item running now (when <see cref="Activity"/> is <see cref="ShardActivity.Mailbox"/>) or
    /// run last; null before the first one. For the stall detector's report.
    /// </summary>
    public Type? CurrentWorkType => Volatile.Read(ref _currentWorkType);

    /// <summary>The <see cref="ShardMessage.Kind"/> of <see cref="CurrentWorkType"/>'s message.</summary>
    public int CurrentWorkKind => Volatile.Read(ref _currentWorkKind);

    /// <summary>Mailbox messages run (including ones whose work item threw).</summary>
    public long MessagesProcessed => Volatile.Read(ref _messagesProcessed);

    /// <summary>Work items that threw (logged and skipped).</summary>
    public long WorkItemFailures => Volatile.Read(ref _workItemFailures);

    /// <summary>Times the shard went to sleep on its parker.</summary>
    public long Parks => _parker.Parks;

    /// <summary>Messages from this shard waiting for space in other shards' mailboxes.</summary>
    public int OutboxPending => _outbox.Pending;

    /// <summary>The largest outbox backlog so far.</summary>
    public int OutboxHighWater => _outbox.HighWater;

    /// <summary>Outbox messages dropped because their target shard stopped or faulted first (each one logged).</summary>
    public long UndeliverableMessages => _outbox.Undeliverable;

    /// <summary>Sends from non-shard threads that found this shard's mailbox full and had to wait.</summary>
    public long BlockedSends => Volatile.Read(ref _blockedSends);

    internal bool IsAccepting => Volatile.Read(ref _state) is (int)ShardState.Created or (int)ShardState.Running or (int)ShardState.Stopping;

    /// <summary>
    /// Registers a source polled every turn. Before the set starts, from any thread; afterwards only on this shard's
    /// thread. Registration allocates (copy-on-write array); it is not meant for the hot path.
    /// </summary>
    public void AddWorkSource(IShardWorkSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        EnsureConfigurable(nameof(AddWorkSource));
        IShardWorkSource[] old = _sources;
        var sources = new IShardWorkSource[old.Length + 1];
        old.CopyTo(sources, 0);
        sources[^1] = source;
        // Release: a stall-detector reader sees a fully built array.
        Volatile.Write(ref _sources, sources);
    }

    /// <summary>Unregisters <paramref name="source"/>; false if it was not registered. Same thread rules as <see cref="AddWorkSource"/>.</summary>
    public bool RemoveWorkSource(IShardWorkSource source)
    {
        EnsureConfigurable(nameof(RemoveWorkSource));
        IShardWorkSource[] old = _sources;
        int index = Array.IndexOf(old, source);
        if (index < 0)
        {
            return false;
        }
        var sources = new IShardWorkSource[old.Length - 1];
        Array.Copy(old, 0, sources, 0, index);
        Array.Copy(old, index + 1, sources, index, old.Length - index - 1);
        Volatile.Write(ref _sources, sources);
        return true;
    }

    /// <summary>
    /// Sends <paramref name="message"/> to shard <paramref name="target"/> (this one included) from this shard's thread.
    /// Never blocks and never drops: if the target's mailbox is full the message waits in this shard's outbox and is
    /// retried every turn, in order with later messages to the same target.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not on this shard's thread, or the target has stopped.</exception>
    /// <exception cref="ShardFaultedException">The target shard has faulted.</exception>
    public void Post(ShardId target, in ShardMessage message)
    {
        if (!TryPost(target, in message))
        {
            _outbox.Add(target.Value, in message);
        }
    }

    /// <summary>
    /// Like <see cref="Post"/> but returns false instead of using the outbox when the target's mailbox is full (or
    /// earlier messages to it still wait in the outbox, so order is kept).
    /// </summary>
    public bool TryPost(ShardId target, in ShardMessage message)
    {
        EnsureCurrent();
        Shard t = _set[target.Value];
        return !_outbox.HasPendingFor(target.Value) && t.TryDeliver(in message);
    }

    /// <summary>Makes the shard run a full turn soon even if no message arrives (e.g. an I/O source has news). Any thread.</summary>
    public void Wake() => _parker.Wake();

    /// <summary>
    /// Installs the wake line for an idle strategy that sleeps in its own kernel wait (see
    /// <see cref="TryBeginExternalWait"/>). Once, before the shard's loop starts (from the idle strategy factory).
    /// </summary>
    public void SetWakeSignal(IShardWakeSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        _parker.SetSignal(signal);
    }

    /// <summary>
    /// For idle strategies with their own wait: announces the sleep and returns true when nothing is pending, after
    /// which a posted message or <see cref="Wake"/> calls the wake signal. Pair with <see cref="EndExternalWait"/>.
    /// Shard thread only.
    /// </summary>
    public bool TryBeginExternalWait() => _parker.TryBeginExternalWait();

    /// <summary>Ends the wait announced by <see cref="TryBeginExternalWait"/>. Shard thread only.</summary>
    public void EndExternalWait() => _parker.EndExternalWait();

    /// <summary>
    /// Runs one loop turn on the calling thread and returns the work done. Only for sets created with
    /// <see cref="ShardSetOptions.UseDedicatedThreads"/> off (a simulator drives shards itself); a shard with its
    /// own thread runs turns only there.
    /// </summary>
    public int DoWork()
    {
        if (_set.UsesDedicatedThreads)
        {
            ThrowHelper.InvalidOperation($"shard {Id.Value} runs on its own thread; DoWork is for manually driven sets");
        }
        Shard? previous = s_current;
        s_current = this;
        try
        {
            Volatile.Write(ref _threadId, Environment.CurrentManagedThreadId);
            return RunTurn();
        }
        catch (Exception ex)
        {
            // Same rule as the threaded loop: whatever escapes a turn is fatal; the driver sees it too.
            Fail(ex);
            throw;
        }
        finally
        {
            s_current = previous;
        }
    }

    public override string ToString() => $"shard {Id.Value} ({State}, {Activity})";

    /// <summary>Enqueues into this shard's mailbox and wakes it; false if full. Any thread.</summary>
    internal bool TryDeliver(in ShardMessage message)
    {
        ThrowIfNotAccepting();
        if (!_mailbox.TryEnqueue(in message))
        {
            return false;
        }
        _parker.NotifyMessage();
        return true;
    }

    internal void CountBlockedSend() => Interlocked.Increment(ref _blockedSends);

    internal void ThrowIfNotAccepting()
    {
        int state = Volatile.Read(ref _state);
        if (state == (int)ShardState.Faulted)
        {
            throw new ShardFaultedException($"shard {Id.Value} has faulted and accepts no more work", _fault!);
        }
        if (state == (int)ShardState.Stopped)
        {
            ThrowHelper.InvalidOperation($"shard {Id.Value} is stopped and accepts no more work");
        }
    }

    internal bool HasPendingInput() => !_mailbox.IsEmpty || Volatile.Read(ref _exitAllowed) != 0;

    /// <summary>How long the parker may sleep: the idle strategy's limit, cut short by the next timer and the turn's poll deadline (0 = do not sleep).</summary>
    internal int ParkTimeoutMs(int maxTimeoutMs)
    {
        int timeout = maxTimeoutMs;
        long next = Timers.NextDeadlineMs;
        if (next != long.MaxValue)
        {
            long remaining = next - Timers.NowMs;
            timeout = remaining <= 0 ? 0 : (int)Math.Min(remaining, timeout);
        }
        if (_pollByNs != long.MaxValue)
        {
            long remainingMs = (_pollByNs - _clock.MonotonicNs) / 1_000_000;
            timeout = remainingMs <= 0 ? 0 : (int)Math.Min(remainingMs, timeout);
        }
        return timeout;
    }

    /// <summary>
    /// Called by a work source during <see cref="IShardWorkSource.DoWork"/>: it has something due at
    /// <paramref name="deadlineNs"/> (<see cref="IClock.MonotonicNs"/>) that no event will announce, such as a
    /// group-commit fdatasync, so the idle strategy must not sleep past it. Holds for the current turn only (sources
    /// ask again on each turn). Shard thread only.
    /// </summary>
    public void PollBy(long deadlineNs)
    {
        if (deadlineNs < _pollByNs)
        {
            _pollByNs = deadlineNs;
        }
    }

    /// <summary>The earliest <see cref="PollBy"/> deadline of the last turn; long.MaxValue when none. For idle strategies.</summary>
    public long PollByNs => _pollByNs;

    /// <summary>The shard's clock (<see cref="IClock.MonotonicNs"/>), as its turns and work sources see it.</summary>
    public long MonotonicNs => _clock.MonotonicNs;

    internal void SetActivity(ShardActivity activity) => Volatile.Write(ref _activity, (int)activity);

    [Conditional("DEBUG")]
    private static void AssertValid(int work) => Debug.Assert(work >= 0, "work counts are never negative");

    private void EnsureCurrent()
    {
        if (!ReferenceEquals(s_current, this))
        {
            ThrowHelper.InvalidOperation($"shard {Id.Value}'s outbox and timers may only be used on its own thread; other threads use ShardSet.Send");
        }
    }

    private void EnsureConfigurable(string operation)
    {
        if (Volatile.Read(ref _state) != (int)ShardState.Created && !ReferenceEquals(s_current, this))
        {
            ThrowHelper.InvalidOperation($"{operation} on shard {Id.Value} after start must run on the shard's own thread");
        }
    }
}
