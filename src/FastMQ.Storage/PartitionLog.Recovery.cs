using System;
using System.Buffers.Binary;
using System.Collections.Generic;
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
    /// Brings the directory to a consistent state and loads it. Sealed segments are trusted when their persisted
    /// indexes load and their last batches end exactly at the file end with the next segment's base offset;
    /// otherwise they are scanned. The active (last) segment is trusted only with a matching clean-shutdown marker;
    /// otherwise it is scanned and everything after its last valid batch is erased on disk.
    /// </summary>
    private void Recover(BatchHeaderCallback? onBatch)
    {
        List<Offset> bases = ListSegmentsAndDeleteStrays();
        bool markerValid = CleanShutdownMarker.TryRead(_directory, out Offset markerBase, out long markerBytes, out Offset markerEnd);
        int scanned = 0;
        int truncated = 0;
        int deleted = 0;
        long discarded = 0;
        bool clean = false;

        if (bases.Count == 0)
        {
            _segments.Add(Segment.Create(_directory, new Offset(0), _options.SegmentBytes, _options.IndexIntervalBytes, _options.PreallocationFor(0)));
        }
        else
        {
            int last = bases.Count - 1;
            for (int i = 0; i < last; i++)
            {
                Segment s = Segment.OpenExisting(_directory, bases[i], active: false, _options.SegmentBytes, _options.IndexIntervalBytes);
                _segments.Add(s);
                long length = s.ReadFile.Length;
                if (TryRestore(s, length, bases[i + 1], capacity: 0, out string? problem))
                {
                    continue;
                }
                StorageLog.RebuildingIndexes(_logger, s.LogPath, problem!);
                scanned++;
                ScanResult r = ScanInto(s, length, onBatch);
                if (r.Stop == ScanStop.Invalid)
                {
                    StorageLog.RecoveryTruncated(_logger, s.LogPath, r.ValidBytes, r.DiscardedBytes, r.Reason);
                    truncated++;
                    discarded += r.DiscardedBytes;
                }
                if (r.Stop == ScanStop.Invalid || r.NextOffset != bases[i + 1])
                {
                    // Later segments cannot follow this one: drop them and make this segment the active one.
                    for (int j = i + 1; j <= last; j++)
                    {
                        File.Delete(SegmentFileNames.LogPath(_directory, bases[j]));
                        Segment.DeleteIndexFiles(_directory, bases[j]);
                        StorageLog.RecoveryDeletedSegment(_logger, SegmentFileNames.LogPath(_directory, bases[j]));
                        deleted++;
                    }
                    _segments.RemoveAt(_segments.Count - 1);
                    s.Dispose();
                    last = i;
                    break;
                }
                if (r.ValidBytes < length)
                {
                    s.EraseAfter(r.ValidBytes, 0); // an interrupted seal left the preallocated space
                }
                s.AppendFinalTimeEntry();
                PersistIndexesOrWarn(s);
            }

            Segment active = Segment.OpenExisting(_directory, bases[last], active: true, _options.SegmentBytes, _options.IndexIntervalBytes);
            _segments.Add(active);
            long activeLength = active.ReadFile.Length;
            int capacity = Segment.IndexCapacity(Math.Max(_options.SegmentBytes, activeLength), _options.IndexIntervalBytes);
            clean = markerValid && last == bases.Count - 1 && markerBase == active.BaseOffset && markerBytes == activeLength
                && markerEnd >= active.BaseOffset && TryRestore(active, activeLength, markerEnd, capacity, out _);
            if (!clean)
            {
                scanned++;
                ScanResult r = ScanInto(active, activeLength, onBatch);
                if (r.Stop == ScanStop.Invalid)
                {
                    StorageLog.RecoveryTruncated(_logger, active.LogPath, r.ValidBytes, r.DiscardedBytes, r.Reason);
                    truncated++;
                    discarded += r.DiscardedBytes;
                }
                StorageLog.RecoveryScanned(_logger, active.LogPath, r.Batches, r.ValidBytes, r.NextOffset.Value);
                // Always erase after the valid data (and sync): no byte past it may be taken as data later, not
                // even one a torn write left beyond a run of zeros. Preallocated again below.
                active.EraseAfter(r.ValidBytes, 0);
            }
        }

        CleanShutdownMarker.Delete(_directory);
        _active = _segments[^1];
        _active.ActivatedMs = _io.Clock.UnixTimeMs;
        Preallocate(_active);
        DurableFiles.SyncDirectory(_directory);
        LoadTailIntoBuffer();

        _logEndOffset = _active.NextOffset;
        _writtenOffset = _logEndOffset;
        _flushedOffset = _logEndOffset;
        _forceSyncTo = _logEndOffset;
        Offset start = _segments[0].BaseOffset;
        Offset checkpoint = LogStartOffsetCheckpoint.Read(_directory);
        if (checkpoint > start)
        {
            start = checkpoint < _logEndOffset ? checkpoint : _logEndOffset;
        }
        _logStartOffset = start;
        _highWatermark = _logEndOffset;
        Recovery = new LogRecoveryInfo(clean, scanned, truncated, discarded, deleted);
    }

    private List<Offset> ListSegmentsAndDeleteStrays()
    {
        var bases = new List<Offset>();
        var indexes = new List<(string Path, Offset Base)>();
        foreach (string path in System.IO.Directory.EnumerateFiles(_directory))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(SegmentFileNames.TempSuffix, StringComparison.Ordinal))
            {
                File.Delete(path);
            }
            else if (SegmentFileNames.TryParseBaseOffset(name, SegmentFileNames.LogSuffix, out Offset b))
            {
                bases.Add(b);
            }
            else if (SegmentFileNames.TryParseBaseOffset(name, SegmentFileNames.IndexSuffix, out b)
                || SegmentFileNames.TryParseBaseOffset(name, SegmentFileNames.TimeIndexSuffix, out b))
            {
                indexes.Add((path, b));
            }
        }
        bases.Sort();
        foreach ((string path, Offset b) in indexes)
        {
            if (bases.BinarySearch(b) < 0)
            {
                File.Delete(path); // left by a segment deletion that did not finish
            }
        }
        return bases;
    }

    /// <summary>Resets the segment's facts and rebuilds them (and its indexes) by scanning its file.</summary>
    private ScanResult ScanInto(Segment s, long length, BatchHeaderCallback? onBatch)
    {
        s.ResetForScan(Segment.IndexCapacity(Math.Max(length, s.IsSealed ? 0 : _options.SegmentBytes), _options.IndexIntervalBytes));
        return SegmentScanner.Scan(s, length, _buffer, onBatch);
    }

    /// <summary>
    /// Loads persisted indexes and checks that the batches after the last index entry end exactly at
    /// <paramref name="dataBytes"/> with next offset <paramref name="nextOffset"/>. False with a reason otherwise.
    /// </summary>
    private bool TryRestore(Segment s, long dataBytes, Offset nextOffset, int capacity, out string? problem)
    {
        string indexPath = SegmentFileNames.IndexPath(_directory, s.BaseOffset);
        string timePath = SegmentFileNames.TimeIndexPath(_directory, s.BaseOffset);
        if (!File.Exists(indexPath) || !File.Exists(timePath))
        {
            problem = "index file missing";
            return false;
        }
        long relativeLimit = nextOffset.Value - s.BaseOffset.Value;
        OffsetIndex? index = OffsetIndex.TryLoad(File.ReadAllBytes(indexPath), capacity, dataBytes, relativeLimit, out problem);
        if (index == null)
        {
            return false;
        }
        TimeIndex? timeIndex = TimeIndex.TryLoad(File.ReadAllBytes(timePath), capacity, relativeLimit, out problem);
        if (timeIndex == null || (dataBytes > 0 && timeIndex.Count == 0))
        {
            problem ??= "time index empty for a segment with data";
            index.Dispose();
            timeIndex?.Dispose();
            return false;
        }
        if (!TailEndsAt(s, index.LastPosition, dataBytes, nextOffset.Value, out problem))
        {
            index.Dispose();
            timeIndex.Dispose();
            return false;
        }
        s.RestoreState(dataBytes, nextOffset, index, timeIndex);
        return true;
    }

    /// <summary>Walks batch headers from <paramref name="position"/> (an indexed batch) and checks they end where the file and offsets say.</summary>
    private static bool TailEndsAt(Segment s, long position, long dataBytes, long nextOffset, out string? problem)
    {
        Span<byte> h = stackalloc byte[RecordBatchDescriptor.HeaderSize];
        long next = -1;
        while (position < dataBytes)
        {
            if (s.ReadFile.ReadAt(h, position) != h.Length)
            {
                problem = $"short batch header at {position}";
                return false;
            }
            int batchLength = BinaryPrimitives.ReadInt32BigEndian(h[RecordBatchDescriptor.BatchLengthOffset..]);
            if (batchLength < RecordBatchDescriptor.HeaderSize - RecordBatchDescriptor.LogOverhead)
            {
                problem = $"invalid batch length {batchLength} at {position}";
                return false;
            }
            next = BinaryPrimitives.ReadInt64BigEndian(h) + BinaryPrimitives.ReadInt32BigEndian(h[RecordBatchDescriptor.LastOffsetDeltaOffset..]) + 1;
            position += (long)batchLength + RecordBatchDescriptor.LogOverhead;
        }
        if (position != dataBytes || (next >= 0 && next != nextOffset) || (next < 0 && nextOffset != s.BaseOffset.Value && dataBytes == 0))
        {
            problem = $"batches end at {position} with next offset {next}, expected {dataBytes} and {nextOffset}";
            return false;
        }
        problem = null;
        return true;
    }

    private void PersistIndexesOrWarn(Segment s)
    {
        try
        {
            s.PersistIndexes();
        }
        catch (IOException e)
        {
            StorageLog.IndexPersistFailed(_logger, s.LogPath, e.Message);
            Segment.DeleteIndexFiles(_directory, s.BaseOffset);
        }
    }

    /// <summary>Preallocates the active segment again (a clean close or a recovery trimmed it); a full disk only costs the preallocation.</summary>
    private void Preallocate(Segment s)
    {
        try
        {
            long target = _options.PreallocationFor(s.DataBytes);
            s.WriteFile!.Allocate(0, target);
            s.AllocatedBytes = Math.Max(s.AllocatedBytes, target);
        }
        catch (NativeIOException e) when (Errors.IsDiskFull(e.Errno))
        {
            StorageLog.PreallocateFailed(_logger, s.LogPath, e.Message);
        }
    }

    /// <summary>Puts the active segment's partial last block in the (zeroed) buffer: the next write rewrites that block.</summary>
    private void LoadTailIntoBuffer()
    {
        _buffer.Span.Clear();
        _bufferStart = AlignedBuffer.AlignDown(_active.DataBytes);
        int partial = (int)(_active.DataBytes - _bufferStart);
        if (partial > 0 && _active.ReadFile.ReadAt(_buffer.Slice(0, partial), _bufferStart) != partial)
        {
            ThrowHelper.InvalidData($"{_active.LogPath}: could not read the last {partial} bytes back");
        }
        _writtenBytes = _active.DataBytes;
    }
}
