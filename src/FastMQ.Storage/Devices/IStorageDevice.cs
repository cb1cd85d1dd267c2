using System;
using FastMQ.Interop;

namespace FastMQ.Storage.Devices;

/// <summary>Result of one queued operation, as reaped from the device.</summary>
/// <param name="UserData">The caller's token passed when the operation was queued.</param>
/// <param name="Result">Bytes transferred (≥ 0) or a negated errno (&lt; 0), as io_uring reports it.</param>
public readonly record struct IoCompletion(ulong UserData, int Result);

/// <summary>
/// Completion-based block I/O for one shard. Implementations: <c>UringDevice</c> (io_uring, the default) and
/// <c>PosixDevice</c> (pwrite/pread/fdatasync, used when io_uring is unavailable or for comparison).
/// </summary>
/// <remarks>
/// Threading: owned by one thread (a shard); no member is thread-safe.
/// Lifecycle: queue operations with <c>TryQueue*</c> (false = submission queue full: submit and reap first),
/// hand them to the kernel with <see cref="Submit"/>, collect results with <see cref="Reap"/>.
/// Buffers passed as pointers must stay valid and unmoved until the operation's completion is reaped; for
/// files opened with O_DIRECT they must be aligned to <see cref="Alignment"/> in address, length and file offset.
/// Operations on one file may complete out of order; callers that need ordering (write, then fdatasync) wait
/// for the first completion or use <see cref="TryQueueFsync"/> with <c>afterPrevious</c>.
/// </remarks>
public interface IStorageDevice : IDisposable
{
    /// <summary>"io_uring" or "pwrite": which mechanism this device uses, for logs and benchmark labels.</summary>
    string Kind { get; }

    /// <summary>Required alignment for O_DIRECT buffers, lengths and offsets (4096).</summary>
    int Alignment { get; }

    /// <summary>Operations queued or submitted whose completions have not been reaped yet.</summary>
    int InFlight { get; }

    unsafe bool TryQueueWrite(NativeFile file, byte* buffer, int length, long fileOffset, ulong userData);

    unsafe bool TryQueueRead(NativeFile file, byte* buffer, int length, long fileOffset, ulong userData);

    /// <summary>
    /// Queues fdatasync (<paramref name="dataOnly"/>) or fsync. With <paramref name="afterPrevious"/> the sync
    /// starts only after every operation queued before it on this device has completed (IOSQE_IO_DRAIN).
    /// </summary>
    bool TryQueueFsync(NativeFile file, bool dataOnly, bool afterPrevious, ulong userData);

    /// <summary>Hands queued operations to the kernel; returns how many were submitted.</summary>
    int Submit();

    /// <summary>
    /// Copies up to <c>completions.Length</c> finished operations into <paramref name="completions"/>, waiting until
    /// at least <paramref name="minComplete"/> are available (0 = do not wait). Returns the number copied.
    /// The wait is capped at the operations already submitted and not yet reaped (and at <c>completions.Length</c>),
    /// so it never blocks on operations that were only queued.
    /// </summary>
    int Reap(Span<IoCompletion> completions, int minComplete);

    /// <summary>
    /// Asks the device to signal <paramref name="eventFd"/> whenever an operation completes, so a shard sleeping in
    /// another wait (its network ring, with a READ armed on that eventfd) wakes for storage completions at once.
    /// Returns false when the device has no such notification (operations that complete synchronously need none).
    /// Before the device is used; once.
    /// </summary>
    bool TryRegisterCompletionEventFd(int eventFd) => false;
}
