using System.IO;
using FastMQ.Core;
using FastMQ.Storage.Segments;

namespace FastMQ.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Deletes whole sealed segments, oldest first, while retention by time (largest timestamp older than
    /// RetentionMs) or by size (the log stays at least RetentionBytes without it) allows, and only segments wholly
    /// below the high watermark. Advances <see cref="LogStartOffset"/> to the new first segment. The active segment
    /// is never deleted. Returns the number of segments deleted.
    /// </summary>
    /// <remarks>Call on the shard thread now and then (not per request): it deletes files synchronously.</remarks>
    public int ApplyRetention()
    {
        if (_closed)
        {
            return 0;
        }
        long nowMs = _io.Clock.UnixTimeMs;
        CloseRetiredReadFiles(nowMs);
        long size = SizeBytes;
        int deleted = 0;
        while (_segments.Count > 1 && _segments[1].BaseOffset <= _highWatermark)
        {
            Segment oldest = _segments[0];
            bool expired = _options.RetentionMs >= 0 && oldest.MaxTimestamp >= 0 && nowMs - oldest.MaxTimestamp > _options.RetentionMs;
            bool oversized = _options.RetentionBytes >= 0 && size - oldest.DataBytes >= _options.RetentionBytes;
            if (!expired && !oversized)
            {
                break;
            }
            size -= oldest.DataBytes;
            DeleteOldestSegment(expired ? "retention by time" : "retention by size");
            deleted++;
        }
        if (deleted > 0)
        {
            SyncDirectoryAfterDeletes();
        }
        return deleted;
    }

    /// <summary>
    /// DeleteRecords: moves <see cref="LogStartOffset"/> up to <paramref name="offset"/> (persisted) and deletes the
    /// segments wholly below it. False when <paramref name="offset"/> is above the high watermark (Kafka
    /// OFFSET_OUT_OF_RANGE); true and no change when it is not above the current start.
    /// </summary>
    public bool TryAdvanceLogStartOffset(Offset offset)
    {
        if (_closed || offset > _highWatermark)
        {
            return false;
        }
        if (offset <= _logStartOffset)
        {
            return true;
        }
        LogStartOffsetCheckpoint.Write(_directory, offset);
        _logStartOffset = offset;
        int deleted = 0;
        while (_segments.Count > 1 && _segments[1].BaseOffset <= offset)
        {
            DeleteOldestSegment("below the log start offset");
            deleted++;
        }
        if (deleted > 0)
        {
            SyncDirectoryAfterDeletes();
        }
        return true;
    }

    private void DeleteOldestSegment(string reason)
    {
        Segment oldest = _segments[0];
        _segments.RemoveAt(0);
        string path = oldest.LogPath;
        _retiredReadFiles.Enqueue((oldest.DeleteDeferringReadClose(), _io.Clock.UnixTimeMs + RetiredReadFileCloseDelayMs));
        if (_segments[0].BaseOffset > _logStartOffset)
        {
            _logStartOffset = _segments[0].BaseOffset;
        }
        if (_highWatermark < _logStartOffset)
        {
            _highWatermark = _logStartOffset;
        }
        StorageLog.SegmentDeleted(_logger, path, reason);
    }

    /// <summary>Closes the read descriptors of deleted segments once no response can still be sending from them.</summary>
    private void CloseRetiredReadFiles(long nowMs)
    {
        while (_retiredReadFiles.TryPeek(out (Interop.NativeFile File, long CloseAtMs) r) && (r.CloseAtMs <= nowMs || _closed))
        {
            _retiredReadFiles.Dequeue();
            r.File.Dispose();
        }
    }

    private void SyncDirectoryAfterDeletes()
    {
        try
        {
            DurableFiles.SyncDirectory(_directory);
        }
        catch (IOException e)
        {
            // The deletions already happened in memory and on the file system; only their durability is unsure,
            // and a segment that reappears after a crash is merely retained again.
            StorageLog.DirectorySyncFailed(_logger, _directory, e.Message);
        }
    }
}
