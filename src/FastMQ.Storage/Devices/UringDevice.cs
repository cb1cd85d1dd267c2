using System;
using FastMQ.Core;
using FastMQ.Interop;

namespace FastMQ.Storage.Devices;

/// <summary>
/// <see cref="IStorageDevice"/> over one io_uring: one device (ring) per shard. Queued operations sit in the ring's
/// submission queue until <see cref="Submit"/> hands them all to the kernel in one io_uring_enter; <see cref="Reap"/>
/// copies completions out of the shared completion queue without a syscall when they are already there.
/// </summary>
/// <remarks>
/// Threading: owned by one shard thread; nothing here is thread-safe.
/// Operations in flight (queued plus submitted but not reaped) are capped at the completion-queue size, so the
/// kernel never has to hold completions back. Zero allocations after construction.
/// Files must stay open until their operations are reaped: the ring captures the fd number when an operation is queued.
/// </remarks>
public sealed unsafe class UringDevice : IStorageDevice
{
    /// <summary>Submission-queue depth used when the caller does not choose one.</summary>
    public const int DefaultQueueDepth = 256;

    private readonly IoUring _ring;
    private readonly IoUringCqe[] _cqeBuffer;
    private readonly int _maxInFlight;
    private int _queued;     // prepared, not yet consumed by the kernel
    private int _submitted;  // consumed by the kernel, completion not yet reaped
    private bool _disposed;

    private UringDevice(IoUring ring)
    {
        _ring = ring;
        _maxInFlight = ring.CompletionQueueEntries;
        _cqeBuffer = new IoUringCqe[Math.Min(ring.CompletionQueueEntries, 256)];
    }

    public string Kind => "io_uring";

    public int Alignment => 4096;

    public int InFlight => _queued + _submitted;

    /// <summary>Submission-queue size of the ring (the requested depth rounded up to a power of two).</summary>
    public int QueueDepth => _ring.SubmissionQueueEntries;

    /// <summary>
    /// Creates a device with a ring of <paramref name="queueDepth"/> entries (1 to 32768). Returns false with the
    /// reason when io_uring is unavailable; see <see cref="IoUring.TryCreate"/>.
    /// </summary>
    public static bool TryCreate(int queueDepth, IoUringOptions? options, out UringDevice? device, out string? unavailableReason)
    {
        if (queueDepth is < 1 or > 32768)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(queueDepth), "must be between 1 and 32768");
        }
        if (!IoUring.TryCreate((uint)queueDepth, options, out IoUring? ring, out unavailableReason))
        {
            device = null;
            return false;
        }
        device = new UringDevice(ring!);
        return true;
    }

    public bool TryQueueWrite(NativeFile file, byte* buffer, int length, long fileOffset, ulong userData)
    {
        ArgumentNullException.ThrowIfNull(file);
        return CanQueue() && Counted(_ring.TryPrepareWrite(file.Fd, buffer, length, fileOffset, userData));
    }

    public bool TryQueueRead(NativeFile file, byte* buffer, int length, long fileOffset, ulong userData)
    {
        ArgumentNullException.ThrowIfNull(file);
        return CanQueue() && Counted(_ring.TryPrepareRead(file.Fd, buffer, length, fileOffset, userData));
    }

    /// <remarks>
    /// <paramref name="afterPrevious"/> sets IOSQE_IO_DRAIN: the kernel starts the sync only after every earlier
    /// submission on this ring has completed, so it covers the writes queued before it.
    /// </remarks>
    public bool TryQueueFsync(NativeFile file, bool dataOnly, bool afterPrevious, ulong userData)
    {
        ArgumentNullException.ThrowIfNull(file);
        IoUringSqeFlags flags = afterPrevious ? IoUringSqeFlags.IoDrain : IoUringSqeFlags.None;
        return CanQueue() && Counted(_ring.TryPrepareFsync(file.Fd, dataOnly, userData, flags));
    }

    public int Submit()
    {
        int n = _ring.Submit();
        _queued -= n;
        _submitted += n;
        return n;
    }

    public int Reap(Span<IoCompletion> completions, int minComplete)
    {
        // Waiting for more than can ever arrive would block forever: cap at what the kernel holds for us.
        int wait = Math.Min(Math.Min(minComplete, completions.Length), _submitted);
        if (wait > 0)
        {
            _ring.WaitForCompletions(wait);
        }
        int total = 0;
        while (total < completions.Length)
        {
            int chunk = Math.Min(_cqeBuffer.Length, completions.Length - total);
            int n = _ring.Reap(_cqeBuffer.AsSpan(0, chunk));
            for (int i = 0; i < n; i++)
            {
                ref readonly IoUringCqe cqe = ref _cqeBuffer[i];
                completions[total + i] = new IoCompletion(cqe.UserData, cqe.Result);
            }
            total += n;
            if (n < chunk)
            {
                break;
            }
        }
        _submitted -= total;
        return total;
    }

    /// <summary>
    /// Waits for submitted operations to finish (storage I/O always does), then closes the ring. Closing with reads
    /// still in flight would let the kernel write into buffers the caller frees right after; queued operations that
    /// were never submitted are dropped.
    /// </summary>
    /// <summary>The kernel signals the eventfd on every completion of this device's ring (IORING_REGISTER_EVENTFD).</summary>
    public bool TryRegisterCompletionEventFd(int eventFd)
    {
        _ring.RegisterEventFd(eventFd);
        return true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            Span<IoCompletion> sink = stackalloc IoCompletion[16];
            while (_submitted > 0 && Reap(sink, 1) > 0)
            {
                // Results are dropped: the owner is shutting the device down.
            }
        }
        finally
        {
            _ring.Dispose();
        }
    }

    private bool CanQueue() => InFlight < _maxInFlight;

    private bool Counted(bool queued)
    {
        if (queued)
        {
            _queued++;
        }
        return queued;
    }
}
