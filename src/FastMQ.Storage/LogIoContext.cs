using System;
using FastMQ.Core;
using FastMQ.Interop;
using FastMQ.Storage.Devices;

namespace FastMQ.Storage;

/// <summary>
/// The I/O context of one shard's partition logs: it owns the shard's <see cref="IStorageDevice"/> (one io_uring
/// per shard) and turns it for every log registered on it.
/// </summary>
/// <remarks>
/// Threading: owned by one shard thread, like every log registered on it; nothing here is thread-safe or locks.
/// <see cref="Poll()"/> is the shard's storage turn: it lets each log that has work queue its writes and fdatasyncs,
/// submits them in one batch, reaps completions without blocking and hands each to its log, which advances its
/// WrittenOffset / FlushedOffset. The owner then reads those offsets to complete produce requests.
/// Completions are routed by user data: bits 63–40 = the log's slot, bits 31–0 = the log's own tag.
/// Everything is sized in the constructor; polling allocates nothing.
/// </remarks>
public sealed class LogIoContext : IDisposable
{
    private const int SlotShift = 40;
    private const int CompletionBatch = 256;

    private readonly IStorageDevice _device;
    private readonly bool _ownsDevice;
    private readonly ILogIoTarget?[] _targets;
    private readonly int[] _freeSlots;
    private int _freeCount;
    private readonly int[] _dirty;
    private readonly bool[] _isDirty;
    private int _dirtyCount;
    private readonly IoCompletion[] _completions = new IoCompletion[CompletionBatch];
    private int _queuedSinceSubmit;
    private bool _disposed;

    /// <param name="device">The shard's device; disposed with the context when <paramref name="ownsDevice"/>.</param>
    /// <param name="clock">Time source for group commit and retries, injected so tests and the simulator drive it.</param>
    /// <param name="maxLogs">Logs that may be registered at once.</param>
    /// <param name="ownsDevice">Whether disposing the context disposes the device.</param>
    public LogIoContext(IStorageDevice device, IClock clock, int maxLogs = 4096, bool ownsDevice = true)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(clock);
        if (maxLogs is < 1 or > 1 << 20)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(maxLogs), "must be between 1 and 1048576");
        }
        _device = device;
        _ownsDevice = ownsDevice;
        Clock = clock;
        _targets = new ILogIoTarget?[maxLogs];
        _freeSlots = new int[maxLogs];
        for (int i = 0; i < maxLogs; i++)
        {
            _freeSlots[i] = maxLogs - 1 - i;
        }
        _freeCount = maxLogs;
        _dirty = new int[maxLogs];
        _isDirty = new bool[maxLogs];
    }

    public IStorageDevice Device => _device;

    public IClock Clock { get; }

    public int LogCount => _targets.Length - _freeCount;

    /// <summary>One non-blocking storage turn for every log on this context; returns how much work it did (0 = idle).</summary>
    public int Poll() => Poll(0);

    /// <summary>
    /// After <see cref="Poll()"/>: the earliest time (<see cref="IClock.MonotonicNs"/>) a log has I/O due that no completion
    /// will announce (a group-commit fdatasync, a write retried after a full disk); long.MaxValue when none. The shard
    /// must poll again by then even if nothing else happens.
    /// </summary>
    public long NextDueNs { get; private set; } = long.MaxValue;

    /// <summary>
    /// A storage turn that waits for at least <paramref name="minComplete"/> completions when operations are in
    /// flight (never when none are, so it cannot wait forever). Used by the blocking waits of a log.
    /// </summary>
    internal int Poll(int minComplete)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long nowNs = Clock.MonotonicNs;
        int work = PumpDirty(nowNs);
        SubmitQueued();
        int wait = minComplete > 0 && _device.InFlight > 0 ? minComplete : 0;
        while (true)
        {
            int n = _device.Reap(_completions, wait);
            if (n == 0)
            {
                break;
            }
            nowNs = Clock.MonotonicNs;
            for (int i = 0; i < n; i++)
            {
                ref readonly IoCompletion c = ref _completions[i];
                int slot = (int)(c.UserData >> SlotShift);
                _targets[slot]?.OnIoCompletion((uint)c.UserData, c.Result, nowNs);
            }
            work += n;
            wait = 0;
            if (n < _completions.Length)
            {
                break;
            }
        }
        if (work > 0)
        {
            // Completions often unlock the next step (a finished write lets its fdatasync go): queue it this turn.
            work += PumpDirty(nowNs);
            SubmitQueued();
        }
        return work;
    }

    internal int Register(ILogIoTarget target)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_freeCount == 0)
        {
            ThrowHelper.InvalidOperation($"this context already serves {_targets.Length} logs");
        }
        int slot = _freeSlots[--_freeCount];
        _targets[slot] = target;
        return slot;
    }

    /// <summary>Frees a slot; the log has no operation in flight any more.</summary>
    internal void Unregister(int slot)
    {
        _targets[slot] = null;
        _freeSlots[_freeCount++] = slot;
    }

    /// <summary>Asks for <see cref="ILogIoTarget.PumpIo"/> on the next turn.</summary>
    internal void MarkDirty(int slot)
    {
        if (!_isDirty[slot])
        {
            _isDirty[slot] = true;
            _dirty[_dirtyCount++] = slot;
        }
    }

    internal unsafe bool TryQueueWrite(int slot, uint tag, NativeFile file, byte* buffer, int length, long fileOffset)
    {
        if (!_device.TryQueueWrite(file, buffer, length, fileOffset, UserData(slot, tag)))
        {
            return false;
        }
        _queuedSinceSubmit++;
        return true;
    }

    internal bool TryQueueFsync(int slot, uint tag, NativeFile file)
    {
        if (!_device.TryQueueFsync(file, dataOnly: true, afterPrevious: false, UserData(slot, tag)))
        {
            return false;
        }
        _queuedSinceSubmit++;
        return true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_ownsDevice)
        {
            _device.Dispose();
        }
    }

    private static ulong UserData(int slot, uint tag) => ((ulong)slot << SlotShift) | tag;

    /// <summary>Pumps every dirty log; returns how many operations they queued.</summary>
    private int PumpDirty(long nowNs)
    {
        int queuedBefore = _queuedSinceSubmit;
        int count = _dirtyCount;
        int kept = 0;
        long nextDueNs = long.MaxValue;
        for (int i = 0; i < count; i++)
        {
            int slot = _dirty[i];
            ILogIoTarget? target = _targets[slot];
            if (target != null && target.PumpIo(nowNs, ref nextDueNs))
            {
                _dirty[kept++] = slot;
            }
            else
            {
                _isDirty[slot] = false;
            }
        }
        // Slots marked dirty while pumping were appended after `count`; keep them after the survivors.
        for (int i = count; i < _dirtyCount; i++)
        {
            _dirty[kept++] = _dirty[i];
        }
        _dirtyCount = kept;
        NextDueNs = nextDueNs;
        return _queuedSinceSubmit - queuedBefore;
    }

    private void SubmitQueued()
    {
        if (_queuedSinceSubmit > 0)
        {
            _queuedSinceSubmit = 0;
            _ = _device.Submit();
        }
    }
}
