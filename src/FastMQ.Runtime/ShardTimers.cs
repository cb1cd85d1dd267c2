using System;
using System.Diagnostics;
using FastMQ.Core;
using FastMQ.Runtime.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastMQ.Runtime;

/// <summary>
/// One shard's timers: deadlines in monotonic milliseconds (<see cref="IClock.MonotonicNs"/> / 10^6), fired in
/// deadline order (ties in scheduling order) from the shard loop. Used for long-polled fetches, group commit,
/// session time-outs.
/// </summary>
/// <remarks>
/// <para>Threading: owned by one shard; every member must be called on its thread (timers are not a cross-shard
/// channel: to set a timer on another shard, send it a message).</para>
/// <para>Cost: a binary min-heap over a pool of entries, so <see cref="Schedule"/> and <see cref="Cancel"/> are
/// O(log n) and a due timer is found in O(1). Entries are reused through a free list; the pool doubles only when more
/// timers are pending than ever before, so steady state allocates nothing.</para>
/// <para>A callback's exception is logged and counted in <see cref="CallbackFailures"/>; the other timers still fire.
/// <see cref="ShardFatalException"/> and <see cref="OutOfMemoryException"/> propagate to the shard.</para>
/// </remarks>
public sealed class ShardTimers
{
    private const long NanosPerMilli = 1_000_000;

    private readonly IClock _clock;
    private readonly ILogger _logger;
    private Entry[] _entries;
    private int[] _heap;
    private int _count;
    private int _freeHead;
    private long _nextSequence;

    public ShardTimers(IClock clock, ILogger? logger = null, int initialCapacity = 64)
    {
        if (initialCapacity < 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(initialCapacity), $"timer capacity must be ≥ 1, was {initialCapacity}");
        }
        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
        _entries = new Entry[initialCapacity];
        _heap = new int[initialCapacity];
        _freeHead = -1;
        LinkFree(0, initialCapacity);
    }

    /// <summary>Timers scheduled and not yet fired or cancelled.</summary>
    public int Count => _count;

    /// <summary>Entries allocated so far (grows by doubling when exhausted).</summary>
    public int Capacity => _entries.Length;

    /// <summary>Callbacks that threw (logged and skipped).</summary>
    public long CallbackFailures { get; private set; }

    /// <summary>Now on the clock the deadlines use.</summary>
    public long NowMs => _clock.MonotonicNs / NanosPerMilli;

    /// <summary>The earliest pending deadline, or <see cref="long.MaxValue"/> when nothing is scheduled.</summary>
    public long NextDeadlineMs => _count == 0 ? long.MaxValue : _entries[_heap[0]].DeadlineMs;

    /// <summary>Schedules <paramref name="callback"/> at <paramref name="deadlineMs"/> (monotonic ms; past deadlines fire on the next poll).</summary>
    public TimerHandle Schedule(long deadlineMs, IShardTimerCallback callback, object? state = null, long arg = 0)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (_freeHead < 0)
        {
            Grow();
        }
        int index = _freeHead;
        ref Entry e = ref _entries[index];
        _freeHead = e.NextFree;
        e.DeadlineMs = deadlineMs;
        e.Sequence = _nextSequence++;
        e.Callback = callback;
        e.State = state;
        e.Arg = arg;
        e.Generation++;
        if (e.Generation == 0)
        {
            // After 2^32 reuses skip 0, which marks the "no timer" handle.
            e.Generation = 1;
        }
        e.HeapIndex = _count;
        _heap[_count] = index;
        _count++;
        SiftUp(e.HeapIndex);
        return new TimerHandle(index, e.Generation);
    }

    /// <summary>Schedules <paramref name="callback"/> <paramref name="delayMs"/> from now.</summary>
    public TimerHandle ScheduleAfter(long delayMs, IShardTimerCallback callback, object? state = null, long arg = 0) =>
        Schedule(NowMs + delayMs, callback, state, arg);

    /// <summary>True if <paramref name="handle"/> names a timer that has neither fired nor been cancelled.</summary>
    public bool IsScheduled(TimerHandle handle) =>
        (uint)handle.Index < (uint)_entries.Length
        && handle.Generation != 0
        && _entries[handle.Index].Generation == handle.Generation
        && _entries[handle.Index].HeapIndex >= 0;

    /// <summary>Cancels the timer; false if it already fired, was cancelled, or never existed.</summary>
    public bool Cancel(TimerHandle handle)
    {
        if (!IsScheduled(handle))
        {
            return false;
        }
        RemoveAt(_entries[handle.Index].HeapIndex);
        Free(handle.Index);
        return true;
    }

    /// <summary>
    /// Fires every timer due at <paramref name="nowMs"/> and returns how many fired. A timer scheduled by a callback
    /// during this poll fires on a later poll, so a callback that re-arms itself at "now" cannot starve the loop.
    /// </summary>
    public int Poll(long nowMs)
    {
        int fired = 0;
        long sequenceLimit = _nextSequence;
        while (_count > 0)
        {
            int index = _heap[0];
            ref Entry e = ref _entries[index];
            if (e.DeadlineMs > nowMs || e.Sequence >= sequenceLimit)
            {
                break;
            }
            IShardTimerCallback callback = e.Callback!;
            object? state = e.State;
            long arg = e.Arg;
            var handle = new TimerHandle(index, e.Generation);
            RemoveAt(0);
            Free(index);
            fired++;
            Invoke(callback, handle, state, arg, nowMs);
        }
        return fired;
    }

    private void Invoke(IShardTimerCallback callback, TimerHandle handle, object? state, long arg, long nowMs)
    {
        try
        {
            callback.OnTimer(handle, state, arg, nowMs);
        }
        catch (Exception ex) when (!FatalErrors.IsFatal(ex))
        {
            CallbackFailures++;
            _logger.LogError(ex, "Timer callback {Callback} failed; the other timers still run", callback.GetType().Name);
        }
    }

    private void RemoveAt(int heapIndex)
    {
        Debug.Assert(heapIndex >= 0 && heapIndex < _count);
        _entries[_heap[heapIndex]].HeapIndex = -1;
        _count--;
        if (heapIndex == _count)
        {
            return;
        }
        int last = _heap[_count];
        _heap[heapIndex] = last;
        _entries[last].HeapIndex = heapIndex;
        if (heapIndex > 0 && Less(last, _heap[(heapIndex - 1) / 2]))
        {
            SiftUp(heapIndex);
        }
        else
        {
            SiftDown(heapIndex);
        }
    }

    private void SiftUp(int i)
    {
        int item = _heap[i];
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            int p = _heap[parent];
            if (!Less(item, p))
            {
                break;
            }
            Place(i, p);
            i = parent;
        }
        Place(i, item);
    }

    private void SiftDown(int i)
    {
        int item = _heap[i];
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= _count)
            {
                break;
            }
            if (child + 1 < _count && Less(_heap[child + 1], _heap[child]))
            {
                child++;
            }
            if (!Less(_heap[child], item))
            {
                break;
            }
            Place(i, _heap[child]);
            i = child;
        }
        Place(i, item);
    }

    private void Place(int heapIndex, int entryIndex)
    {
        _heap[heapIndex] = entryIndex;
        _entries[entryIndex].HeapIndex = heapIndex;
    }

    private bool Less(int a, int b)
    {
        ref Entry x = ref _entries[a];
        ref Entry y = ref _entries[b];
        return x.DeadlineMs < y.DeadlineMs || (x.DeadlineMs == y.DeadlineMs && x.Sequence < y.Sequence);
    }

    private void Free(int index)
    {
        ref Entry e = ref _entries[index];
        Debug.Assert(e.HeapIndex == -1);
        e.Callback = null;
        e.State = null;
        // Bump on free as well as on schedule so a stale handle never matches, even before reuse.
        e.Generation++;
        e.NextFree = _freeHead;
        _freeHead = index;
    }

    private void Grow()
    {
        int old = _entries.Length;
        int size = checked(old * 2);
        Array.Resize(ref _entries, size);
        Array.Resize(ref _heap, size);
        LinkFree(old, size);
    }

    private void LinkFree(int from, int to)
    {
        for (int i = to - 1; i >= from; i--)
        {
            _entries[i].HeapIndex = -1;
            _entries[i].NextFree = _freeHead;
            _freeHead = i;
        }
    }

    private struct Entry
    {
        public long DeadlineMs;
        public long Sequence;
        public IShardTimerCallback? Callback;
        public object? State;
        public long Arg;
        public int Generation;
        public int HeapIndex;
        public int NextFree;
    }
}
