using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;

namespace FastMQ.Interop;

/// <summary>
/// One io_uring instance: a submission queue (SQ) and completion queue (CQ) shared with the kernel through mmap.
/// Prepare operations with <c>TryPrepare*</c> (false = SQ full: submit and reap first), hand them to the kernel with
/// <see cref="Submit"/> or <see cref="SubmitAndWait"/>, and collect results with <see cref="Reap"/> or
/// <see cref="TryPeekCompletion"/>/<see cref="AdvanceCompletions"/>, which read the CQ without a syscall whenever
/// completions are already there.
/// </summary>
/// <remarks>
/// Threading: owned by one thread (a shard); no member is thread-safe. The kernel is the only other party, and the
/// ring protocol with it is single-producer/single-consumer in each direction: FastMQ writes the SQ tail and CQ
/// head, the kernel writes the SQ head and CQ tail.
/// Buffers, iovec arrays and sockaddrs passed as pointers must stay valid and unmoved until the operation completes.
/// Nothing here allocates after <see cref="TryCreate"/>. Create with <see cref="TryCreate"/>; dispose to unmap the
/// rings and close the ring fd. Dispose does not wait: the kernel cancels or finishes what is still in flight in the
/// background, so reap (or outlive) every operation whose buffers are about to be freed.
/// </remarks>
public sealed unsafe partial class IoUring : IDisposable
{
    private int _ringFd;

    // Mappings (unmapped in Dispose). With IORING_FEAT_SINGLE_MMAP the CQ ring shares the SQ ring mapping.
    private byte* _sqRing;
    private nuint _sqRingBytes;
    private byte* _cqRing;
    private nuint _cqRingBytes;
    private IoUringSqe* _sqes;
    private nuint _sqesBytes;

    // Submission ring: the kernel advances *_sqHead as it consumes entries; FastMQ publishes *_sqTail.
    private uint* _sqHead;
    private uint* _sqTail;
    private uint* _sqFlags;
    private uint _sqMask;
    private uint _sqEntries;
    private uint _sqeTail; // next SQE slot to fill; entries up to here are prepared, published at the next submit

    // Completion ring: the kernel advances *_cqTail as it posts; FastMQ advances *_cqHead as it reaps.
    private uint* _cqHead;
    private uint* _cqTail;
    private uint* _cqOverflow;
    private IoUringCqe* _cqes;
    private uint _cqMask;
    private uint _cqEntries;

    private IoUring()
    {
        _ringFd = -1;
    }

    /// <summary>Submission-queue size (the entries asked for, rounded up to a power of two).</summary>
    public int SubmissionQueueEntries => (int)_sqEntries;

    /// <summary>Completion-queue size.</summary>
    public int CompletionQueueEntries => (int)_cqEntries;

    /// <summary>IORING_FEAT_* bits the kernel reported at setup.</summary>
    public uint Features { get; private set; }

    /// <summary>The ring's file descriptor, valid until <see cref="Dispose"/>.</summary>
    public int RingFd => _ringFd;

    /// <summary>Entries prepared but not yet consumed by the kernel.</summary>
    public int PendingSubmissions
    {
        get
        {
            ThrowIfDisposed();
            // Acquire: the kernel's latest consumption point.
            return (int)(_sqeTail - Volatile.Read(ref *_sqHead));
        }
    }

    /// <summary>Free SQ slots: how many more <c>TryPrepare*</c> calls can succeed before a submit.</summary>
    public int FreeSubmissionSlots => (int)_sqEntries - PendingSubmissions;

    /// <summary>Completions waiting in the CQ ring (not counting any the kernel holds back after a CQ overflow).</summary>
    public int CompletionsReady
    {
        get
        {
            ThrowIfDisposed();
            // Acquire: pairs with the kernel's release of the CQ tail, so the CQEs below the tail are fully written.
            return (int)(Volatile.Read(ref *_cqTail) - *_cqHead);
        }
    }

    /// <summary>
    /// Completions the kernel had to drop because the CQ was full and it could not queue them internally. Kernels
    /// with IORING_FEAT_NODROP (5.5+) keep overflowed completions and hand them over on the next reap, so this stays 0.
    /// </summary>
    public uint DroppedCompletions
    {
        get
        {
            ThrowIfDisposed();
            return Volatile.Read(ref *_cqOverflow);
        }
    }

    /// <summary>Publishes prepared entries and tells the kernel to start them; returns how many it consumed.</summary>
    /// <remarks>
    /// A transient EAGAIN or EBUSY (kernel short of memory, or a backlog of overflowed completions) returns 0 and
    /// leaves the entries queued: reap, then submit again. Other failures mean a broken ring and throw.
    /// </remarks>
    public int Submit() => SubmitCore(0);

    /// <summary>
    /// Like <see cref="Submit"/>, then waits until at least <paramref name="waitNr"/> completions are in the CQ.
    /// Skips the syscall when nothing is pending and enough completions are already there.
    /// </summary>
    public int SubmitAndWait(int waitNr)
    {
        if (waitNr < 0)
        {
            InteropThrowHelper.ArgumentOutOfRange(nameof(waitNr), "must not be negative");
        }
        return SubmitCore((uint)waitNr);
    }

    /// <summary>
    /// Blocks until at least <paramref name="minComplete"/> completions are in the CQ, without submitting anything.
    /// No syscall when enough are already there. The caller makes sure that many operations are in flight.
    /// </summary>
    public void WaitForCompletions(int minComplete)
    {
        ThrowIfDisposed();
        if (minComplete <= 0)
        {
            return;
        }
        // Acquire: see CompletionsReady.
        if (Volatile.Read(ref *_cqTail) - *_cqHead >= (uint)minComplete)
        {
            return;
        }
        _ = Enter(0, (uint)minComplete, Interop.Uring.IORING_ENTER_GETEVENTS);
    }

    /// <summary>Reads the oldest completion without consuming it; false when none is ready.</summary>
    /// <remarks>
    /// No syscall unless the CQ is empty and the kernel flagged held-back completions (CQ overflow or pending task
    /// work); then one io_uring_enter moves them into the ring.
    /// </remarks>
    public bool TryPeekCompletion(out IoUringCqe completion)
    {
        ThrowIfDisposed();
        uint head = *_cqHead; // only this thread writes the CQ head
        // Acquire: the kernel writes a CQE, then releases the tail; reading the tail first makes the CQE visible.
        uint tail = Volatile.Read(ref *_cqTail);
        if (head == tail)
        {
            if (!FlushHeldCompletions())
            {
                completion = default;
                return false;
            }
            tail = Volatile.Read(ref *_cqTail);
            if (head == tail)
            {
                completion = default;
                return false;
            }
        }
        completion = _cqes[head & _cqMask];
        return true;
    }

    /// <summary>Consumes <paramref name="count"/> completions returned by <see cref="TryPeekCompletion"/>.</summary>
    public void AdvanceCompletions(int count)
    {
        ThrowIfDisposed();
        uint head = *_cqHead;
        if ((uint)count > Volatile.Read(ref *_cqTail) - head)
        {
            InteropThrowHelper.ArgumentOutOfRange(nameof(count), "more completions than are ready");
        }
        // Release: our reads of these CQEs happen before the kernel sees the slots free and overwrites them.
        Volatile.Write(ref *_cqHead, head + (uint)count);
    }

    /// <summary>
    /// Copies up to <c>destination.Length</c> ready completions, oldest first, and consumes them. Never waits
    /// (use <see cref="SubmitAndWait"/> first to block); returns the number copied.
    /// </summary>
    public int Reap(Span<IoUringCqe> destination)
    {
        ThrowIfDisposed();
        uint head = *_cqHead;
        // Acquire: as in TryPeekCompletion.
        uint tail = Volatile.Read(ref *_cqTail);
        if (head == tail && destination.Length > 0 && FlushHeldCompletions())
        {
            tail = Volatile.Read(ref *_cqTail);
        }
        int n = (int)Math.Min((uint)destination.Length, tail - head);
        for (int i = 0; i < n; i++)
        {
            destination[i] = _cqes[(head + (uint)i) & _cqMask];
        }
        // Release: the copies above complete before the kernel may reuse the slots.
        Volatile.Write(ref *_cqHead, head + (uint)n);
        return n;
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    ~IoUring()
    {
        Release();
    }

    private int SubmitCore(uint waitNr)
    {
        ThrowIfDisposed();
        // Release: the SQE contents written by TryPrepare* become visible to the kernel before the new tail does.
        Volatile.Write(ref *_sqTail, _sqeTail);
        // Acquire: the kernel has finished reading every SQE below its head.
        uint toSubmit = _sqeTail - Volatile.Read(ref *_sqHead);
        uint flags = 0;
        if (waitNr > 0)
        {
            if (toSubmit == 0 && Volatile.Read(ref *_cqTail) - *_cqHead >= waitNr)
            {
                return 0; // enough completions already; no syscall
            }
            flags |= Interop.Uring.IORING_ENTER_GETEVENTS;
        }
        else if (toSubmit == 0)
        {
            return 0;
        }
        // The kernel sets these ring flags (read with acquire so we see its latest word) when completions are held
        // back; GETEVENTS makes this enter flush them, as liburing does.
        if ((Volatile.Read(ref *_sqFlags) & (Interop.Uring.IORING_SQ_CQ_OVERFLOW | Interop.Uring.IORING_SQ_TASKRUN)) != 0)
        {
            flags |= Interop.Uring.IORING_ENTER_GETEVENTS;
        }
        return Enter(toSubmit, waitNr, flags);
    }

    /// <summary>Moves completions the kernel holds back into the CQ ring; true if it entered the kernel.</summary>
    private bool FlushHeldCompletions()
    {
        // Acquire: a fresh view of the kernel-written flag word.
        if ((Volatile.Read(ref *_sqFlags) & (Interop.Uring.IORING_SQ_CQ_OVERFLOW | Interop.Uring.IORING_SQ_TASKRUN)) == 0)
        {
            return false;
        }
        _ = Enter(0, 0, Interop.Uring.IORING_ENTER_GETEVENTS);
        return true;
    }

    private int Enter(uint toSubmit, uint waitNr, uint flags)
    {
        while (true)
        {
            int r = Interop.Uring.Enter(_ringFd, toSubmit, waitNr, flags);
            if (r >= 0)
            {
                return r;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errors.EINTR)
            {
                // A signal interrupted the wait. Entries may already have been consumed: recompute what is left.
                if (toSubmit > 0)
                {
                    toSubmit = _sqeTail - Volatile.Read(ref *_sqHead);
                }
                continue;
            }
            if (errno is Errors.EAGAIN or Errors.EBUSY)
            {
                return 0;
            }
            InteropThrowHelper.NativeIO("io_uring_enter", errno);
        }
    }

    /// <summary>Claims the next SQE, zeroed; null when the SQ is full.</summary>
    private IoUringSqe* TryClaimSqe()
    {
        ThrowIfDisposed();
        // Acquire: once the kernel's head passes a slot, it has finished reading it, so the slot can be reused.
        if (_sqeTail - Volatile.Read(ref *_sqHead) >= _sqEntries)
        {
            return null;
        }
        IoUringSqe* sqe = &_sqes[_sqeTail & _sqMask];
        _sqeTail++;
        *sqe = default;
        return sqe;
    }

    private void ThrowIfDisposed()
    {
        if (_ringFd < 0)
        {
            InteropThrowHelper.ObjectDisposed(nameof(IoUring));
        }
    }

    private void Release()
    {
        if (_sqes != null)
        {
            _ = Interop.Sys.MUnmap(_sqes, _sqesBytes);
            _sqes = null;
        }
        if (_cqRing != null && _cqRing != _sqRing)
        {
            _ = Interop.Sys.MUnmap(_cqRing, _cqRingBytes);
        }
        _cqRing = null;
        if (_sqRing != null)
        {
            _ = Interop.Sys.MUnmap(_sqRing, _sqRingBytes);
            _sqRing = null;
        }
        int fd = _ringFd;
        _ringFd = -1;
        if (fd >= 0)
        {
            _ = Interop.Sys.Close(fd);
        }
        Debug.Assert(_ringFd == -1);
    }
}
