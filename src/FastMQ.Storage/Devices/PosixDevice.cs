using System;
using System.Numerics;
using FastMQ.Core;
using FastMQ.Interop;

namespace FastMQ.Storage.Devices;

/// <summary>
/// The fallback <see cref="IStorageDevice"/>: queued operations run synchronously, in queue order, with
/// pwrite/pread/fdatasync when <see cref="Submit"/> is called; their results wait in a fixed-size completion ring
/// until <see cref="Reap"/>. Used when io_uring is unavailable (old kernel, seccomp, io_uring_disabled) or forced
/// with FASTMQ_IO_BACKEND=pwrite.
/// </summary>
/// <remarks>
/// Threading: owned by one shard thread; nothing here is thread-safe.
/// Both queues are arrays sized once in the constructor, so queueing, submitting and reaping allocate nothing.
/// Because operations execute in queue order, every operation (including an fsync) sees the effects of the ones
/// queued before it: <c>afterPrevious</c> is always satisfied.
/// Results follow io_uring's convention: bytes transferred, or a negated errno.
/// </remarks>
public sealed unsafe class PosixDevice : IStorageDevice
{
    /// <summary>Queue depth used when the caller does not choose one; matches the io_uring device.</summary>
    public const int DefaultQueueDepth = 256;

    private readonly PendingOp[] _pending;
    private readonly IoCompletion[] _completions;
    private readonly int _completionMask;
    private int _pendingCount;
    private long _completionHead;   // next completion to reap
    private long _completionTail;   // next free completion slot
    private bool _disposed;

    /// <param name="queueDepth">
    /// Operations that may be queued between two <see cref="Submit"/> calls (rounded up to a power of two).
    /// Completions not yet reaped are capped at twice that, as io_uring's completion queue is.
    /// </param>
    public PosixDevice(int queueDepth = DefaultQueueDepth)
    {
        if (queueDepth is < 1 or > 32768)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(queueDepth), "must be between 1 and 32768");
        }
        int depth = (int)BitOperations.RoundUpToPowerOf2((uint)queueDepth);
        _pending = new PendingOp[depth];
        _completions = new IoCompletion[depth * 2];
        _completionMask = _completions.Length - 1;
    }

    public string Kind => "pwrite";

    public int Alignment => 4096;

    public int InFlight => _pendingCount + (int)(_completionTail - _completionHead);

    /// <summary>Operations that fit between two <see cref="Submit"/> calls.</summary>
    public int QueueDepth => _pending.Length;

    public bool TryQueueWrite(NativeFile file, byte* buffer, int length, long fileOffset, ulong userData)
    {
        ArgumentNullException.ThrowIfNull(file);
        return TryQueue(new PendingOp(OpKind.Write, file, buffer, length, fileOffset, userData));
    }

    public bool TryQueueRead(NativeFile file, byte* buffer, int length, long fileOffset, ulong userData)
    {
        ArgumentNullException.ThrowIfNull(file);
        return TryQueue(new PendingOp(OpKind.Read, file, buffer, length, fileOffset, userData));
    }

    public bool TryQueueFsync(NativeFile file, bool dataOnly, bool afterPrevious, ulong userData)
    {
        ArgumentNullException.ThrowIfNull(file);
        // afterPrevious needs nothing extra: Submit runs operations one after another in queue order.
        return TryQueue(new PendingOp(dataOnly ? OpKind.FDataSync : OpKind.FSync, file, null, 0, 0, userData));
    }

    public int Submit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int count = _pendingCount;
        for (int i = 0; i < count; i++)
        {
            ref PendingOp op = ref _pending[i];
            int result = Execute(in op);
            // TryQueue keeps InFlight within the completion ring, so this slot is free.
            _completions[(int)(_completionTail & _completionMask)] = new IoCompletion(op.UserData, result);
            _completionTail++;
            op = default; // drop the NativeFile reference so a closed file is not kept alive by the queue
        }
        _pendingCount = 0;
        return count;
    }

    /// <remarks>
    /// Every submitted operation has already finished, so this never blocks: <paramref name="minComplete"/> is met
    /// whenever enough operations were submitted.
    /// </remarks>
    public int Reap(Span<IoCompletion> completions, int minComplete)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int available = (int)(_completionTail - _completionHead);
        int n = Math.Min(available, completions.Length);
        for (int i = 0; i < n; i++)
        {
            completions[i] = _completions[(int)(_completionHead & _completionMask)];
            _completionHead++;
        }
        return n;
    }

    public void Dispose()
    {
        _disposed = true;
        Array.Clear(_pending);
        _pendingCount = 0;
    }

    private bool TryQueue(in PendingOp op)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (op.Length < 0)
        {
            ThrowHelper.ArgumentOutOfRange("length", "must not be negative");
        }
        if (_pendingCount == _pending.Length || InFlight >= _completions.Length)
        {
            return false;
        }
        _pending[_pendingCount++] = op;
        return true;
    }

    private static int Execute(in PendingOp op)
    {
        try
        {
            return op.Kind switch
            {
                OpKind.Write => op.File!.UnsafeWriteAt(op.Buffer, op.Length, op.FileOffset),
                OpKind.Read => op.File!.UnsafeReadAt(op.Buffer, op.Length, op.FileOffset),
                OpKind.FDataSync => op.File!.SyncNoThrow(dataOnly: true),
                _ => op.File!.SyncNoThrow(dataOnly: false),
            };
        }
        catch (ObjectDisposedException)
        {
            // The file was closed between queueing and submitting; io_uring reports the same as EBADF.
            return -Errors.EBADF;
        }
    }

    private enum OpKind : byte
    {
        Write,
        Read,
        FDataSync,
        FSync,
    }

    private readonly struct PendingOp(OpKind kind, NativeFile file, byte* buffer, int length, long fileOffset, ulong userData)
    {
        public readonly OpKind Kind = kind;
        public readonly NativeFile? File = file;
        public readonly byte* Buffer = buffer;
        public readonly int Length = length;
        public readonly long FileOffset = fileOffset;
        public readonly ulong UserData = userData;
    }
}
