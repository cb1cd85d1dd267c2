using System;
using System.Threading;
using FastMQ.Runtime.Internal;
using Microsoft.Extensions.Logging;

namespace FastMQ.Runtime;

/// <summary>The shard's thread, its loop turn and its lifecycle.</summary>
public sealed partial class Shard
{
    /// <summary>Starts the shard's thread and returns once it runs (pinned if configured). Called by <see cref="ShardSet"/>.</summary>
    internal void Start(int startTimeoutMs)
    {
        Volatile.Write(ref _state, (int)ShardState.Running);
        _thread = new Thread(Run)
        {
            Name = $"fastmq-shard-{Id.Value}",
            // Background: a shard that will not stop must not keep the process alive after the host gave up on it.
            IsBackground = true,
        };
        _thread.Start();
        if (!_started.Wait(startTimeoutMs))
        {
            throw new TimeoutException($"shard {Id.Value} did not start within {startTimeoutMs} ms");
        }
    }

    /// <summary>Marks a manually driven shard as running (no thread).</summary>
    internal void StartManual() => Volatile.Write(ref _state, (int)ShardState.Running);

    /// <summary>Stop, phase 1: the state becomes <see cref="ShardState.Stopping"/>; the loop runs on as before. Any thread.</summary>
    internal void RequestStop()
    {
        if (Interlocked.CompareExchange(ref _state, (int)ShardState.Stopping, (int)ShardState.Running) != (int)ShardState.Running)
        {
            Interlocked.CompareExchange(ref _state, (int)ShardState.Stopped, (int)ShardState.Created);
        }
    }

    /// <summary>
    /// Stop, phase 2: the loop exits at the first turn that finds nothing to do and an empty mailbox and outbox.
    /// Pending timers are abandoned. Any thread; returns at once.
    /// </summary>
    internal void AllowExit()
    {
        // Release, then wake: the woken loop's exit check reads the flag after the parker's fences.
        Volatile.Write(ref _exitAllowed, 1);
        _parker.Wake();
    }

    /// <summary>
    /// A snapshot for the set's quiescence check: the loop is between turns (idle or parked) with an empty mailbox
    /// and outbox. <paramref name="workDone"/> lets the caller see whether any turn did work between two snapshots.
    /// </summary>
    internal bool IsIdleSnapshot(out long workDone)
    {
        workDone = Volatile.Read(ref _workDone);
        ShardActivity activity = Activity;
        return activity is ShardActivity.Idle or ShardActivity.Parked or ShardActivity.Exited
            && _mailbox.IsEmpty
            && _outbox.Pending == 0;
    }

    /// <summary>Waits for the thread to end; false on timeout.</summary>
    internal bool Join(int timeoutMs) => _thread is null || _thread.Join(timeoutMs);

    /// <summary>For a manually driven shard: true once a stop was requested and nothing is left to drain.</summary>
    internal bool TryCompleteManualStop()
    {
        if (State != ShardState.Stopping || !_mailbox.IsEmpty || _outbox.Pending != 0)
        {
            return false;
        }
        Interlocked.CompareExchange(ref _state, (int)ShardState.Stopped, (int)ShardState.Stopping);
        SetActivity(ShardActivity.Exited);
        return true;
    }

    internal void DisposeResources()
    {
        _parker.Dispose();
        _started.Dispose();
    }

    private void Run()
    {
        s_current = this;
        Volatile.Write(ref _threadId, Environment.CurrentManagedThreadId);
        try
        {
            if (_cpu >= 0 && CorePinning.TryPinCurrentThread(_cpu, _logger))
            {
                Volatile.Write(ref _pinnedCpu, _cpu);
            }
            _parker.Prepare();
            _logger.LogDebug("Shard {Shard} started on thread {Thread}, CPU {Cpu}", Id.Value, Environment.CurrentManagedThreadId, PinnedCpu);
            _started.Set();
            RunLoop();
            Volatile.Write(ref _state, (int)ShardState.Stopped);
            _logger.LogDebug("Shard {Shard} stopped after {Turns} turns", Id.Value, Turns);
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
        finally
        {
            SetActivity(ShardActivity.Exited);
            s_current = null;
            // A fault before the started signal must not leave Start waiting for its timeout.
            _started.Set();
        }
    }

    private void RunLoop()
    {
        while (true)
        {
            int work = RunTurn();
            if (work == 0 && Volatile.Read(ref _exitAllowed) != 0 && _mailbox.IsEmpty && _outbox.Pending == 0)
            {
                return;
            }
            SetActivity(ShardActivity.Idle);
            _idle.Idle(work);
        }
    }

    /// <summary>One turn: outbox, mailbox, timers, sources. Returns the total work done.</summary>
    private int RunTurn()
    {
        long nowNs = _clock.MonotonicNs;
        // Release stores of plain counters (a mov on x86): a stall detector on another thread reads them in order.
        Volatile.Write(ref _lastTurnStartNs, nowNs);
        Volatile.Write(ref _turns, _turns + 1);

        int work = 0;
        if (_outbox.Pending != 0)
        {
            SetActivity(ShardActivity.FlushingOutbox);
            work += _outbox.Flush(_set, _logger);
        }

        SetActivity(ShardActivity.Mailbox);
        var handler = new MailboxHandler(this);
        int messages = _mailbox.Drain(ref handler, _batchLimit);
        if (messages != 0)
        {
            Volatile.Write(ref _messagesProcessed, _messagesProcessed + messages);
            work += messages;
        }

        if (Timers.Count != 0)
        {
            SetActivity(ShardActivity.Timers);
            work += Timers.Poll(nowNs / 1_000_000);
        }

        IShardWorkSource[] sources = _sources;
        _pollByNs = long.MaxValue;
        for (int i = 0; i < sources.Length; i++)
        {
            Volatile.Write(ref _activitySource, i);
            SetActivity(ShardActivity.WorkSource);
            int done = sources[i].DoWork(this, nowNs);
            AssertValid(done);
            work += done;
        }
        if (work != 0)
        {
            Volatile.Write(ref _workDone, _workDone + work);
        }
        return work;
    }

    private void Execute(in ShardMessage message)
    {
        // Breadcrumbs for the stall detector: kind first, then the type with a release store, so a reader that sees the
        // type also sees its kind. GetType() reads the object's method table (no allocation).
        _currentWorkKind = message.Kind;
        Volatile.Write(ref _currentWorkType, message.Work.GetType());
        try
        {
            message.Work.Execute(this, in message);
        }
        catch (Exception ex) when (!FatalErrors.IsFatal(ex))
        {
            Volatile.Write(ref _workItemFailures, _workItemFailures + 1);
            _logger.LogError(ex, "Work item {Work} (kind {Kind}) failed on shard {Shard}; the shard goes on", message.Work.GetType().Name, message.Kind, Id.Value);
        }
    }

    private void Fail(Exception ex)
    {
        Volatile.Write(ref _fault, ex);
        // Release: Fault is visible to anyone who sees the Faulted state.
        Volatile.Write(ref _state, (int)ShardState.Faulted);
        _logger.LogCritical(ex, "Shard {Shard} died during {Activity} ({Source}) after {Turns} turns; its partitions are unavailable", Id.Value, Activity, ActivitySource, Turns);
        try
        {
            _set.ReportFatal(this, ex);
        }
        catch (Exception handlerError)
        {
            _logger.LogCritical(handlerError, "The fatal-error handler for shard {Shard} threw", Id.Value);
        }
    }

    private readonly struct MailboxHandler(Shard shard) : IMessageHandler<ShardMessage>
    {
        public void OnMessage(in ShardMessage message) => shard.Execute(in message);
    }
}
