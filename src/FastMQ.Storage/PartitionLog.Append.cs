using System;
using System.IO;
using FastMQ.Core;
using FastMQ.Interop;
using FastMQ.Memory;
using FastMQ.Protocol.Records;
using FastMQ.Storage.Segments;

namespace FastMQ.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Validates one batch (header and CRC-32C, no decompression), assigns it the next offsets and
    /// <paramref name="leaderEpoch"/> in place in <paramref name="batch"/>, copies it once into the write buffer and
    /// schedules its write. On <see cref="AppendStatus.Ok"/> the batch is readable at once and becomes
    /// acknowledgeable when <see cref="AcknowledgeableOffset"/> passes <see cref="AppendResult.LastOffset"/>
    /// (driven by <see cref="Poll"/>). Any other status leaves the log unchanged.
    /// </summary>
    /// <param name="batch">Exactly one RecordBatch v2 (Kafka allows one per partition in a produce request).</param>
    /// <param name="leaderEpoch">Written into the batch's partitionLeaderEpoch field.</param>
    /// <param name="result">The assigned offsets, or the validation failure.</param>
    /// <remarks>Allocates nothing in steady state. Blocks only as the type's remarks say (buffer wrap, roll).</remarks>
    public AppendStatus TryAppend(Span<byte> batch, Epoch leaderEpoch, out AppendResult result)
    {
        result = AppendResult.Rejected(BatchValidation.Valid);
        if (_closed)
        {
            return AppendStatus.Closed;
        }
        if (_faultErrno != 0)
        {
            return AppendStatus.IoError;
        }
        BatchValidation validation = RecordBatchValidator.Validate(batch, out int size);
        if (validation != BatchValidation.Valid || size != batch.Length)
        {
            result = AppendResult.Rejected(validation != BatchValidation.Valid ? validation : BatchValidation.InvalidLength);
            return AppendStatus.CorruptMessage;
        }
        if (size > _options.EffectiveMaxBatchBytes)
        {
            return AppendStatus.TooLarge;
        }
        if (_diskFull)
        {
            return AppendStatus.DiskFull;
        }
        int lastOffsetDelta = new RecordBatchHeader(batch).LastOffsetDelta;
        AppendStatus room = EnsureRoom(size, lastOffsetDelta);
        if (room != AppendStatus.Ok)
        {
            return room;
        }

        long baseOffset = _logEndOffset.Value;
        long lastOffset = baseOffset + lastOffsetDelta;
        RecordBatchHeader.AssignOffsetAndEpoch(batch, baseOffset, leaderEpoch.Value);
        long position = _active.DataBytes;
        batch.CopyTo(_buffer.Slice((int)(position - _bufferStart), size));
        _active.OnBatchAppended(baseOffset, lastOffset, position, size, new RecordBatchHeader(batch).MaxTimestamp);
        _logEndOffset = new Offset(lastOffset + 1);
        _io.MarkDirty(_slot);
        result = new AppendResult(BatchValidation.Valid, new Offset(baseOffset), new Offset(lastOffset));
        return AppendStatus.Ok;
    }

    /// <summary>Rolls the segment if the batch does not belong in it, then makes room for it in the write buffer.</summary>
    private AppendStatus EnsureRoom(int size, int lastOffsetDelta)
    {
        Segment a = _active;
        if (a.DataBytes > 0)
        {
            bool full = a.DataBytes + size > _options.SegmentBytes;
            // Index entries hold offsets relative to the segment base as int32.
            bool offsetsOverflow = _logEndOffset.Value + lastOffsetDelta - a.BaseOffset.Value > int.MaxValue;
            bool old = _options.SegmentMaxAgeMs >= 0 && _io.Clock.UnixTimeMs - a.ActivatedMs >= _options.SegmentMaxAgeMs;
            if (full || offsetsOverflow || old)
            {
                AppendStatus rolled = Roll();
                if (rolled != AppendStatus.Ok)
                {
                    return rolled;
                }
            }
        }
        long end = AlignedBuffer.AlignUp(_active.DataBytes + size);
        if (end > _active.AllocatedBytes)
        {
            // Grow the preallocation a step ahead of the data (O_DIRECT writes then never extend the file).
            try
            {
                _active.EnsureAllocated(end, _options.SegmentBytes, _options.PreallocateStepBytes);
            }
            catch (NativeIOException e) when (Errors.IsDiskFull(e.Errno))
            {
                StorageLog.DiskFull(_logger, _directory, "extending the segment's preallocation");
                return AppendStatus.DiskFull;
            }
            catch (IOException e)
            {
                return Fault(e, "extending the segment's preallocation");
            }
        }
        while (AlignedBuffer.AlignUp(_active.DataBytes + size) - _bufferStart > _buffer.Length)
        {
            // The buffer is full. Bytes before the block holding the written end are on disk and never rewritten,
            // so they can leave the buffer; an in-flight write still reads from it, so wait for that first.
            long keepFrom = AlignedBuffer.AlignDown(_writtenBytes);
            if (!_writeInFlight && keepFrom > _bufferStart)
            {
                Slide(keepFrom);
                continue;
            }
            _io.MarkDirty(_slot);
            AppendStatus waited = WaitForOwnIo();
            if (waited != AppendStatus.Ok)
            {
                return waited;
            }
        }
        return AppendStatus.Ok;
    }

    /// <summary>Moves the buffer window to start at <paramref name="keepFrom"/> (aligned, fully written before it).</summary>
    private void Slide(long keepFrom)
    {
        int shift = (int)(keepFrom - _bufferStart);
        int usedEnd = (int)(AlignedBuffer.AlignUp(_active.DataBytes) - _bufferStart);
        Span<byte> buffer = _buffer.Span;
        buffer[shift..usedEnd].CopyTo(buffer);
        buffer[(usedEnd - shift)..usedEnd].Clear();
        _bufferStart = keepFrom;
    }

    /// <summary>One blocking storage turn; reports a fault or a full disk that stops this log's progress.</summary>
    private AppendStatus WaitForOwnIo()
    {
        _ = _io.Poll(1);
        if (_faultErrno != 0)
        {
            return AppendStatus.IoError;
        }
        return _diskFull ? AppendStatus.DiskFull : AppendStatus.Ok;
    }

    /// <summary>
    /// Starts a new segment at the log end offset. The new file is allocated first, so a full disk leaves the log
    /// as it was; then the old segment's last bytes are written, it is synced, trimmed to its data and its indexes
    /// persisted (sealed segments are exact and need no scan on open), and the directory is synced.
    /// </summary>
    private AppendStatus Roll()
    {
        Segment next;
        try
        {
            next = Segment.Create(_directory, _logEndOffset, _options.SegmentBytes, _options.IndexIntervalBytes, _options.PreallocationFor(0));
        }
        catch (NativeIOException e) when (Errors.IsDiskFull(e.Errno))
        {
            StorageLog.DiskFull(_logger, _directory, "allocating a new segment");
            return AppendStatus.DiskFull;
        }
        catch (IOException e)
        {
            return Fault(e, "creating a segment");
        }

        AppendStatus drained = DrainActive();
        if (drained != AppendStatus.Ok)
        {
            next.Delete();
            return drained;
        }
        Segment old = _active;
        try
        {
            old.TrimAndSync();
        }
        catch (IOException e)
        {
            next.Delete();
            return Fault(e, "sealing a segment");
        }
        old.AppendFinalTimeEntry();
        try
        {
            old.PersistIndexes();
        }
        catch (IOException e)
        {
            StorageLog.IndexPersistFailed(_logger, old.LogPath, e.Message);
            Segment.DeleteIndexFiles(_directory, old.BaseOffset);
        }
        old.CloseForWrites();

        _buffer.Slice(0, (int)(AlignedBuffer.AlignUp(old.DataBytes) - _bufferStart)).Clear();
        next.ActivatedMs = _io.Clock.UnixTimeMs;
        _segments.Add(next);
        _active = next;
        _bufferStart = 0;
        _writtenBytes = 0;
        _unsyncedBytes = 0;
        _writtenOffset = _logEndOffset;
        _flushedOffset = _logEndOffset;
        try
        {
            DurableFiles.SyncDirectory(_directory);
        }
        catch (IOException e)
        {
            return Fault(e, "syncing the partition directory");
        }
        StorageLog.SegmentRolled(_logger, next.LogPath);
        return AppendStatus.Ok;
    }

    /// <summary>Waits until every byte of the active segment is written and no sync is in flight.</summary>
    private AppendStatus DrainActive()
    {
        while (_writeInFlight || _syncInFlight || _writtenBytes < _active.DataBytes)
        {
            _io.MarkDirty(_slot);
            AppendStatus s = WaitForOwnIo();
            if (s != AppendStatus.Ok)
            {
                return s;
            }
        }
        return AppendStatus.Ok;
    }

    private AppendStatus Fault(IOException e, string operation)
    {
        _faultErrno = e is NativeIOException n ? n.Errno : Errors.EIO;
        StorageLog.Faulted(_logger, _directory, operation, e.Message);
        return AppendStatus.IoError;
    }
}
