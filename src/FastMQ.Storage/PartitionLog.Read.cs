using System;
using System.Buffers.Binary;
using FastMQ.Core;
using FastMQ.Interop;
using FastMQ.Protocol.Records;
using FastMQ.Storage.Segments;

namespace FastMQ.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Reads whole batches starting with the one that contains <paramref name="fetchOffset"/>, without decoding:
    /// from one segment and one source (tail cache or file), up to <paramref name="maxBytes"/> at batch boundaries
    /// but always at least one whole batch (KIP-74), and only batches whose last offset is below
    /// <paramref name="upperBound"/> (the high watermark for consumers, the log end for followers).
    /// Call again at <see cref="LogSlice.NextOffset"/> for more.
    /// </summary>
    /// <remarks>Allocates nothing; a file slice costs one pread of a batch header per batch scanned after the index lookup.</remarks>
    public LogReadStatus TryRead(Offset fetchOffset, int maxBytes, Offset upperBound, out LogSlice slice)
    {
        slice = default;
        if (_closed)
        {
            // Its segments are released: a fetch woken by the final flush of a shutdown must not touch them.
            return LogReadStatus.Closed;
        }
        if (fetchOffset < _logStartOffset || fetchOffset > _logEndOffset)
        {
            return LogReadStatus.OffsetOutOfRange;
        }
        if (upperBound > _logEndOffset)
        {
            upperBound = _logEndOffset;
        }
        if (fetchOffset >= upperBound || !TryLocate(fetchOffset.Value, out int segmentIndex, out long start, out BatchInfo first))
        {
            return LogReadStatus.NoData;
        }
        if (first.LastOffset >= upperBound.Value)
        {
            return LogReadStatus.NoData;
        }
        Segment segment = _segments[segmentIndex];
        bool inMemory = segment == _active && start >= _bufferStart;
        // A file slice of the active segment stops where the tail cache starts: everything before it is fully written.
        long limit = segment == _active && !inMemory ? _bufferStart : segment.DataBytes;
        long end = start + first.Size;
        long next = first.LastOffset + 1;
        long budgetEnd = start + Math.Max(maxBytes, 0);

        // Jump over whole index intervals: the batches before an indexed batch end exactly where it starts.
        if (segment.Index.TryFloorByPosition(Math.Min(budgetEnd, limit), out int rel, out int indexedPos)
            && indexedPos > end && segment.BaseOffset.Value + rel <= upperBound.Value)
        {
            end = indexedPos;
            next = segment.BaseOffset.Value + rel;
        }
        while (end < limit)
        {
            BatchInfo b = ReadBatchInfo(segment, end);
            if (b.LastOffset >= upperBound.Value || end + b.Size > budgetEnd)
            {
                break;
            }
            end += b.Size;
            next = b.LastOffset + 1;
        }
        int length = (int)(end - start);
        if (!inMemory)
        {
            ReadAhead(segment, start, end, limit);
        }
        slice = inMemory
            ? new LogSlice(_buffer.Slice((int)(start - _bufferStart), length), new Offset(first.BaseOffset), new Offset(next))
            : new LogSlice(segment.ReadFile, start, length, new Offset(first.BaseOffset), new Offset(next));
        return LogReadStatus.Ok;
    }

    /// <summary>
    /// ListOffsets by timestamp, at batch granularity: the first batch at or after the log start whose maxTimestamp
    /// is ≥ <paramref name="timestampMs"/>. The broker may decode that batch's records to return the exact record.
    /// </summary>
    public bool TryFindOffsetByTimestamp(long timestampMs, out Offset batchBaseOffset, out long batchMaxTimestampMs)
    {
        batchBaseOffset = Offset.Invalid;
        batchMaxTimestampMs = IndexDescriptor.NoTimestamp;
        for (int i = 0; i < _segments.Count; i++)
        {
            Segment s = _segments[i];
            if (s.MaxTimestamp < timestampMs || s.NextOffset <= _logStartOffset)
            {
                continue;
            }
            int rel = s.TimeIndex.LastRelativeOffsetBefore(timestampMs);
            long pos = rel < 0 ? 0 : s.Index.FloorPosition(rel);
            while (pos < s.DataBytes)
            {
                BatchInfo b = ReadBatchInfo(s, pos);
                if (b.MaxTimestamp >= timestampMs && b.LastOffset >= _logStartOffset.Value)
                {
                    batchBaseOffset = new Offset(Math.Max(b.BaseOffset, _logStartOffset.Value));
                    batchMaxTimestampMs = b.MaxTimestamp;
                    return true;
                }
                pos += b.Size;
            }
        }
        return false;
    }

    /// <summary>ListOffsets −3: the batch holding the largest timestamp (its base offset), if the log holds any batch.</summary>
    public bool TryGetMaxTimestamp(out Offset batchBaseOffset, out long maxTimestampMs)
    {
        batchBaseOffset = Offset.Invalid;
        maxTimestampMs = IndexDescriptor.NoTimestamp;
        foreach (Segment s in _segments)
        {
            if (s.MaxTimestamp > maxTimestampMs && s.OffsetOfMaxTimestamp >= _logStartOffset)
            {
                maxTimestampMs = s.MaxTimestamp;
                batchBaseOffset = s.OffsetOfMaxTimestamp;
            }
        }
        return batchBaseOffset != Offset.Invalid;
    }

    /// <summary>
    /// Calls <paramref name="callback"/> with the header of every batch from the one containing
    /// <paramref name="fromOffset"/> to the log end, in order (headers only: no CRC check, no records). Returns the
    /// number of batches visited. For rebuilding state (leader epochs, producer state) after a clean open.
    /// </summary>
    public int VisitBatchHeaders(Offset fromOffset, BatchHeaderCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (fromOffset < _logStartOffset)
        {
            fromOffset = _logStartOffset;
        }
        if (fromOffset >= _logEndOffset || !TryLocate(fromOffset.Value, out int segmentIndex, out long pos, out _))
        {
            return 0;
        }
        Span<byte> scratch = stackalloc byte[RecordBatchDescriptor.HeaderSize];
        int count = 0;
        for (int i = segmentIndex; i < _segments.Count; i++, pos = 0)
        {
            Segment s = _segments[i];
            while (pos < s.DataBytes)
            {
                ReadOnlySpan<byte> bytes = HeaderBytes(s, pos, scratch);
                var header = new RecordBatchHeader(bytes);
                callback(header, s.BaseOffset, pos);
                pos += header.TotalSize;
                count++;
            }
        }
        return count;
    }

    /// <summary>Bytes a file read asks the kernel to load ahead of the reader (see <see cref="ReadAhead"/>).</summary>
    internal const long ReadAheadWindowBytes = 8L << 20;

    /// <summary>
    /// Read-ahead for a reader behind the tail cache. The log is written with O_DIRECT, so nothing it wrote is in the page
    /// cache and a file slice would be read from disk inside sendfile, on the shard thread, one fetch at a time. When the
    /// slice leaves the window asked for last time (or comes within half a window of its end), posix_fadvise(WILLNEED)
    /// asks for the slice and the next <see cref="ReadAheadWindowBytes"/>: the kernel starts those reads and returns, so
    /// a sequential consumer's next fetches find their bytes cached. One syscall per window, not per fetch; advice that
    /// fails is skipped (reads still work, only slower).
    /// </summary>
    private void ReadAhead(Segment segment, long start, long end, long limit)
    {
        long from = segment.ReadAheadFrom;
        long until = segment.ReadAheadUntil;
        // Asked far enough already: half a window ahead of this slice, or everything readable so far.
        if (start >= from && Math.Min(end + ReadAheadWindowBytes / 2, limit) <= until)
        {
            return;
        }
        bool continues = start >= from && start < until;
        long adviseFrom = continues ? until : start;
        long adviseUntil = Math.Min(end + ReadAheadWindowBytes, limit);
        segment.ReadAheadFrom = continues ? from : start;
        segment.ReadAheadUntil = Math.Max(adviseUntil, end);
        if (adviseUntil > adviseFrom)
        {
            _ = segment.ReadFile.TryAdvise(adviseFrom, adviseUntil - adviseFrom, FileAdvice.WillNeed);
            _readAheadAdvices++;
        }
    }

    private long _readAheadAdvices;

    /// <summary>Read-ahead advices this log issued (owner shard; diagnostics and tests).</summary>
    internal long ReadAheadAdvices => _readAheadAdvices;

    /// <summary>
    /// Finds the batch containing <paramref name="offset"/>: the segment by base offset, a position from its
    /// offset index, then a forward header scan. Moves on to the next segment if the offset lies past the last batch.
    /// </summary>
    private bool TryLocate(long offset, out int segmentIndex, out long position, out BatchInfo batch)
    {
        segmentIndex = FindSegmentIndex(offset);
        Segment s = _segments[segmentIndex];
        position = s.Index.FloorPosition(offset - s.BaseOffset.Value);
        while (true)
        {
            while (position < s.DataBytes)
            {
                batch = ReadBatchInfo(s, position);
                if (batch.LastOffset >= offset)
                {
                    return true;
                }
                position += batch.Size;
            }
            if (++segmentIndex == _segments.Count)
            {
                batch = default;
                return false;
            }
            s = _segments[segmentIndex];
            position = 0;
        }
    }

    /// <summary>The last segment whose base offset is ≤ <paramref name="offset"/> (the first segment if none).</summary>
    private int FindSegmentIndex(long offset)
    {
        int lo = 0;
        int hi = _segments.Count - 1;
        int found = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_segments[mid].BaseOffset.Value <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    private BatchInfo ReadBatchInfo(Segment s, long position)
    {
        Span<byte> scratch = stackalloc byte[RecordBatchDescriptor.HeaderSize];
        ReadOnlySpan<byte> h = HeaderBytes(s, position, scratch);
        long baseOffset = BinaryPrimitives.ReadInt64BigEndian(h);
        int size = BinaryPrimitives.ReadInt32BigEndian(h[RecordBatchDescriptor.BatchLengthOffset..]) + RecordBatchDescriptor.LogOverhead;
        int delta = BinaryPrimitives.ReadInt32BigEndian(h[RecordBatchDescriptor.LastOffsetDeltaOffset..]);
        long maxTimestamp = BinaryPrimitives.ReadInt64BigEndian(h[RecordBatchDescriptor.MaxTimestampOffset..]);
        return new BatchInfo(baseOffset, baseOffset + delta, size, maxTimestamp);
    }

    /// <summary>
    /// The 61 header bytes of the batch at <paramref name="position"/>: a span of the tail cache, or a pread into
    /// <paramref name="scratch"/>. Checked on read as on write: a header that does not fit the segment's data means
    /// the file changed under the log, and is reported rather than served.
    /// </summary>
    private ReadOnlySpan<byte> HeaderBytes(Segment s, long position, Span<byte> scratch)
    {
        ReadOnlySpan<byte> h;
        if (s == _active && position >= _bufferStart)
        {
            h = _buffer.Slice((int)(position - _bufferStart), RecordBatchDescriptor.HeaderSize);
        }
        else
        {
            int n = s.ReadFile.ReadAt(scratch, position);
            if (n != scratch.Length)
            {
                ThrowHelper.InvalidData($"{s.LogPath}: short read of the batch header at {position}");
            }
            h = scratch;
        }
        int batchLength = BinaryPrimitives.ReadInt32BigEndian(h[RecordBatchDescriptor.BatchLengthOffset..]);
        if (batchLength < RecordBatchDescriptor.HeaderSize - RecordBatchDescriptor.LogOverhead
            || position + batchLength + RecordBatchDescriptor.LogOverhead > s.DataBytes)
        {
            ThrowHelper.InvalidData($"{s.LogPath}: invalid batch header at position {position} (batchLength {batchLength})");
        }
        return h;
    }
}
