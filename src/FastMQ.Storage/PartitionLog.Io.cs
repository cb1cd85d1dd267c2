using FastMQ.Core;
using FastMQ.Interop;
using FastMQ.Memory;

namespace FastMQ.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Blocks until every offset below <paramref name="offset"/> (clamped to the log end) is durable, issuing an
    /// fdatasync whatever the commit policy. Returns <see cref="AppendStatus.DiskFull"/> or
    /// <see cref="AppendStatus.IoError"/> instead of waiting when the log cannot make progress.
    /// </summary>
    /// <remarks>For tools, tests and shutdown: it turns the shared <see cref="LogIoContext"/> itself, so other logs on it progress too.</remarks>
    public AppendStatus WaitDurable(Offset offset)
    {
        if (_closed)
        {
            return AppendStatus.Closed;
        }
        if (offset > _logEndOffset)
        {
            offset = _logEndOffset;
        }
        if (offset > _forceSyncTo)
        {
            _forceSyncTo = offset;
        }
        _io.MarkDirty(_slot);
        while (_flushedOffset < offset)
        {
            if (_faultErrno != 0)
            {
                return AppendStatus.IoError;
            }
            if (_diskFull)
            {
                return AppendStatus.DiskFull;
            }
            _ = _io.Poll(1);
        }
        return AppendStatus.Ok;
    }

    /// <summary>Makes everything appended so far durable: <see cref="WaitDurable"/>(<see cref="LogEndOffset"/>).</summary>
    public AppendStatus Flush() => WaitDurable(_logEndOffset);

    /// <summary>
    /// Queues what the log needs now: one write of every unwritten byte (at most one write in flight, so two writes
    /// never race on the shared last block) and, once writes completed, an fdatasync when the policy or a waiter
    /// asks for one. Returns true while something is still pending that a later turn must queue.
    /// </summary>
    bool ILogIoTarget.PumpIo(long nowNs, ref long nextDueNs)
    {
        if (_closed || _faultErrno != 0)
        {
            return false;
        }
        if (!_writeInFlight && _writtenBytes < _active.DataBytes && (!_diskFull || nowNs >= _retryAtNs))
        {
            IssueWrite();
        }
        if (!_syncInFlight && _writtenOffset > _flushedOffset && SyncDue(nowNs))
        {
            IssueSync();
        }
        bool writePending = !_writeInFlight && _writtenBytes < _active.DataBytes;
        bool syncPending = !_syncInFlight && _writtenOffset > _flushedOffset
            && (_options.CommitPolicy.Mode != CommitMode.None || _forceSyncTo > _flushedOffset);
        // Pending on a time, not on a completion: say when, so an idle shard does not sleep past it.
        if (writePending && _diskFull && _retryAtNs < nextDueNs)
        {
            nextDueNs = _retryAtNs;
        }
        if (syncPending && _options.CommitPolicy.Mode == CommitMode.Group)
        {
            long syncAtNs = _firstUnsyncedNs + _options.CommitPolicy.GroupIntervalMs * 1_000_000L;
            if (syncAtNs < nextDueNs)
            {
                nextDueNs = syncAtNs;
            }
        }
        return writePending || syncPending;
    }

    void ILogIoTarget.OnIoCompletion(uint tag, int result, long nowNs)
    {
        if (tag == WriteTag)
        {
            OnWriteCompleted(result, nowNs);
        }
        else
        {
            _syncInFlight = false;
            if (result == 0)
            {
                if (_syncTarget > _flushedOffset)
                {
                    _flushedOffset = _syncTarget;
                }
            }
            else
            {
                FaultWithErrno(-result, "fdatasync");
            }
        }
        _io.MarkDirty(_slot);
    }

    private void OnWriteCompleted(int result, long nowNs)
    {
        _writeInFlight = false;
        if (result == _inFlightLength)
        {
            if (_unsyncedBytes == 0)
            {
                _firstUnsyncedNs = nowNs;
            }
            _unsyncedBytes += _inFlightEndBytes - _writtenBytes;
            _writtenBytes = _inFlightEndBytes;
            _writtenOffset = _inFlightEndOffset;
            if (_diskFull)
            {
                _diskFull = false;
                StorageLog.DiskFullCleared(_logger, _directory);
            }
        }
        else if (result >= 0 || Errors.IsDiskFull(-result))
        {
            // ENOSPC/EDQUOT, or a short write (how O_DIRECT reports running out of space part-way): the bytes stay
            // in the buffer and the same range is written again after the retry interval.
            if (!_diskFull)
            {
                StorageLog.DiskFull(_logger, _directory, result >= 0 ? $"short write of {result} of {_inFlightLength} bytes" : "write");
            }
            _diskFull = true;
            _retryAtNs = nowNs + (_options.DiskFullRetryIntervalMs * 1_000_000L);
        }
        else
        {
            FaultWithErrno(-result, "write");
        }
    }

    private bool SyncDue(long nowNs)
    {
        if (_forceSyncTo > _flushedOffset)
        {
            return true;
        }
        CommitPolicy policy = _options.CommitPolicy;
        return policy.Mode switch
        {
            CommitMode.FsyncEachWrite => true,
            CommitMode.Group => _unsyncedBytes >= policy.GroupBytes || nowNs - _firstUnsyncedNs >= policy.GroupIntervalMs * 1_000_000L,
            _ => false,
        };
    }

    private unsafe void IssueWrite()
    {
        // Whole blocks from the one holding the written end to the one holding the data end: the partial last
        // block is written again, zero-padded, by each write until it fills (docs/FORMATS.md, write amplification).
        long tail = _active.DataBytes;
        long start = AlignedBuffer.AlignDown(_writtenBytes);
        int length = (int)(AlignedBuffer.AlignUp(tail) - start);
        byte* source = _buffer.Pointer + (start - _bufferStart);
        if (_io.TryQueueWrite(_slot, WriteTag, _active.WriteFile!, source, length, start))
        {
            _writeInFlight = true;
            _inFlightEndBytes = tail;
            _inFlightEndOffset = _logEndOffset;
            _inFlightLength = length;
        }
    }

    private void IssueSync()
    {
        if (_io.TryQueueFsync(_slot, SyncTag, _active.WriteFile!))
        {
            _syncInFlight = true;
            _syncTarget = _writtenOffset;
            _unsyncedBytes = 0;
        }
    }

    private void FaultWithErrno(int errno, string operation)
    {
        if (_faultErrno == 0)
        {
            _faultErrno = errno;
            StorageLog.Faulted(_logger, _directory, operation, Errors.Describe(errno));
        }
    }
}
