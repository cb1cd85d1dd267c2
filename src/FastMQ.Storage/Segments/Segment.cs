using System;
using System.Diagnostics;
using System.IO;
using FastMQ.Core;
using FastMQ.Interop;

namespace FastMQ.Storage.Segments;

/// <summary>
/// One segment of a partition log: the <c>.log</c> file of batches exactly as produced (no segment header, so a
/// byte range of it is a valid Fetch payload), its two sparse indexes and the facts the log needs about it.
/// </summary>
/// <remarks>
/// Owned by the log's shard thread. Lifecycle: created active (file preallocated, opened twice: with O_DIRECT for
/// the log's writes and without it for page-cache reads and sendfile), then sealed when the log rolls (data synced,
/// file trimmed to its data, indexes persisted, the O_DIRECT descriptor closed), finally deleted by retention.
/// The log writes the bytes; this type only records what was appended (<see cref="OnBatchAppended"/>).
/// </remarks>
internal sealed class Segment : IDisposable
{
    private readonly int _indexIntervalBytes;
    private long _lastIndexedPosition;

    private Segment(string directory, Offset baseOffset, NativeFile? writeFile, NativeFile readFile,
        OffsetIndex index, TimeIndex timeIndex, int indexIntervalBytes)
    {
        Directory = directory;
        BaseOffset = baseOffset;
        WriteFile = writeFile;
        ReadFile = readFile;
        Index = index;
        TimeIndex = timeIndex;
        _indexIntervalBytes = indexIntervalBytes;
        NextOffset = baseOffset;
        MaxTimestamp = IndexDescriptor.NoTimestamp;
        OffsetOfMaxTimestamp = Offset.Invalid;
    }

    public string Directory { get; }

    public Offset BaseOffset { get; }

    /// <summary>The offset after the last batch in this segment (= <see cref="BaseOffset"/> while empty).</summary>
    public Offset NextOffset { get; private set; }

    /// <summary>Bytes of batches in the file; everything after them reads as zeros.</summary>
    public long DataBytes { get; private set; }

    /// <summary>The largest batch maxTimestamp in the segment, or -1 while empty.</summary>
    public long MaxTimestamp { get; private set; }

    /// <summary>Base offset of the batch carrying <see cref="MaxTimestamp"/>.</summary>
    public Offset OffsetOfMaxTimestamp { get; private set; }

    /// <summary>Wall-clock time (ms) the segment became active in this process; drives roll by age.</summary>
    public long ActivatedMs { get; set; }

    /// <summary>O_DIRECT read-write descriptor; null once sealed.</summary>
    public NativeFile? WriteFile { get; private set; }

    /// <summary>Page-cache descriptor for reads and sendfile.</summary>
    public NativeFile ReadFile { get; }

    /// <summary>File range [<see cref="ReadAheadFrom"/>, <see cref="ReadAheadUntil"/>) last asked into the page cache (PartitionLog's read-ahead; owner shard only).</summary>
    public long ReadAheadFrom { get; set; }

    /// <inheritdoc cref="ReadAheadFrom"/>
    public long ReadAheadUntil { get; set; }

    public OffsetIndex Index { get; private set; }

    public TimeIndex TimeIndex { get; private set; }

    public bool IsSealed => WriteFile == null;

    /// <summary>Bytes of the file reserved with fallocate (active segment); writes stay below it.</summary>
    public long AllocatedBytes { get; set; }

    /// <summary>
    /// Extends the preallocation so that bytes up to <paramref name="endBytes"/> are reserved: at least one
    /// <paramref name="stepBytes"/> more, at most <paramref name="maxBytes"/>. Throws <see cref="NativeIOException"/>
    /// (ENOSPC = disk full) and then leaves the allocation as it was.
    /// </summary>
    public void EnsureAllocated(long endBytes, long maxBytes, long stepBytes)
    {
        if (endBytes <= AllocatedBytes)
        {
            return;
        }
        long target = Math.Min(maxBytes, Math.Max(endBytes, AllocatedBytes + stepBytes));
        WriteFile!.Allocate(AllocatedBytes, target - AllocatedBytes);
        AllocatedBytes = target;
    }

    public string LogPath => SegmentFileNames.LogPath(Directory, BaseOffset);

    /// <summary>Index capacity for a segment of <paramref name="segmentBytes"/>: one entry per interval at most, plus the final time entry.</summary>
    public static int IndexCapacity(long segmentBytes, int indexIntervalBytes) =>
        (int)Math.Min(int.MaxValue - 2, (segmentBytes / indexIntervalBytes) + 2);

    /// <summary>
    /// Creates an empty active segment whose file is preallocated to <paramref name="segmentBytes"/> (fallocate:
    /// blocks reserved up front, so O_DIRECT writes never extend the file or hit ENOSPC). On failure nothing is left
    /// behind and the <see cref="NativeIOException"/> (ENOSPC = disk full) propagates.
    /// </summary>
    public static Segment Create(string directory, Offset baseOffset, long segmentBytes, int indexIntervalBytes, long preallocateBytes)
    {
        string path = SegmentFileNames.LogPath(directory, baseOffset);
        DeleteIndexFiles(directory, baseOffset);
        NativeFile? write = null;
        NativeFile? read = null;
        try
        {
            write = NativeFile.Open(path, NativeOpenFlags.ReadWrite | NativeOpenFlags.Create | NativeOpenFlags.Truncate | NativeOpenFlags.Direct);
            write.Allocate(0, preallocateBytes);
            read = NativeFile.Open(path, NativeOpenFlags.ReadOnly);
            int capacity = IndexCapacity(segmentBytes, indexIntervalBytes);
            return new Segment(directory, baseOffset, write, read, new OffsetIndex(capacity), new TimeIndex(capacity), indexIntervalBytes)
            {
                AllocatedBytes = preallocateBytes,
            };
        }
        catch
        {
            write?.Dispose();
            read?.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Opens an existing segment file; indexes start empty until <see cref="RestoreState"/> or a scan fills them.</summary>
    public static Segment OpenExisting(string directory, Offset baseOffset, bool active, long segmentBytes, int indexIntervalBytes)
    {
        string path = SegmentFileNames.LogPath(directory, baseOffset);
        NativeFile read = NativeFile.Open(path, NativeOpenFlags.ReadOnly);
        NativeFile? write = null;
        try
        {
            if (active)
            {
                write = NativeFile.Open(path, NativeOpenFlags.ReadWrite | NativeOpenFlags.Direct);
            }
            int capacity = active ? IndexCapacity(Math.Max(segmentBytes, read.Length), indexIntervalBytes) : 1;
            return new Segment(directory, baseOffset, write, read, new OffsetIndex(capacity), new TimeIndex(capacity), indexIntervalBytes)
            {
                AllocatedBytes = read.Length,
            };
        }
        catch
        {
            read.Dispose();
            write?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Records a batch the log placed at <paramref name="position"/>: advances the data end and offsets, and adds
    /// index entries when at least one index interval of bytes lies since the last indexed batch.
    /// </summary>
    public void OnBatchAppended(long baseOffset, long lastOffset, long position, int size, long maxTimestamp)
    {
        Debug.Assert(position == DataBytes && baseOffset == NextOffset.Value && lastOffset >= baseOffset);
        int relative = (int)(baseOffset - BaseOffset.Value);
        if (maxTimestamp > MaxTimestamp)
        {
            MaxTimestamp = maxTimestamp;
            OffsetOfMaxTimestamp = new Offset(baseOffset);
        }
        if (position - _lastIndexedPosition >= _indexIntervalBytes)
        {
            if (Index.TryAppend(relative, (int)position))
            {
                _lastIndexedPosition = position;
                _ = TimeIndex.TryAppend(MaxTimestamp, (int)(OffsetOfMaxTimestamp.Value - BaseOffset.Value));
            }
        }
        DataBytes = position + size;
        NextOffset = new Offset(lastOffset + 1);
    }

    /// <summary>Sets the facts a clean shutdown recorded, with indexes loaded from their files.</summary>
    public void RestoreState(long dataBytes, Offset nextOffset, OffsetIndex index, TimeIndex timeIndex)
    {
        Index.Dispose();
        TimeIndex.Dispose();
        Index = index;
        TimeIndex = timeIndex;
        DataBytes = dataBytes;
        NextOffset = nextOffset;
        _lastIndexedPosition = index.LastPosition;
        MaxTimestamp = timeIndex.LastTimestamp;
        OffsetOfMaxTimestamp = timeIndex.Count == 0 ? Offset.Invalid : BaseOffset + timeIndex.LastRelativeOffset;
    }

    /// <summary>Forgets everything recorded, before a recovery scan records the batches again.</summary>
    public void ResetForScan(int indexCapacity)
    {
        Index.Dispose();
        TimeIndex.Dispose();
        Index = new OffsetIndex(indexCapacity);
        TimeIndex = new TimeIndex(indexCapacity);
        DataBytes = 0;
        NextOffset = BaseOffset;
        _lastIndexedPosition = 0;
        MaxTimestamp = IndexDescriptor.NoTimestamp;
        OffsetOfMaxTimestamp = Offset.Invalid;
    }

    /// <summary>Adds the final time-index entry so the last entry holds the segment's largest timestamp.</summary>
    public void AppendFinalTimeEntry()
    {
        if (MaxTimestamp != IndexDescriptor.NoTimestamp)
        {
            _ = TimeIndex.TryAppend(MaxTimestamp, (int)(OffsetOfMaxTimestamp.Value - BaseOffset.Value));
        }
    }

    /// <summary>
    /// Writes both index files through a temporary name and a rename, each synced first, so a crash leaves either the
    /// old complete file or none (then recovery rebuilds it). The caller syncs the directory.
    /// </summary>
    public void PersistIndexes()
    {
        DurableFiles.WriteAtomically(SegmentFileNames.IndexPath(Directory, BaseOffset), Index.Serialize());
        DurableFiles.WriteAtomically(SegmentFileNames.TimeIndexPath(Directory, BaseOffset), TimeIndex.Serialize());
    }

    /// <summary>
    /// Trims the preallocated file to its data (so a sealed segment's size is exact and the next open needs no scan
    /// to find its end) and syncs it with its new size. The caller has completed every write to it.
    /// </summary>
    public void TrimAndSync()
    {
        NativeFile file = WriteFile ?? ThrowSealed();
        file.Truncate(DataBytes);
        file.Sync(dataOnly: false);
    }

    /// <summary>Closes the O_DIRECT descriptor: from now on the segment is read-only.</summary>
    public void CloseForWrites()
    {
        WriteFile?.Dispose();
        WriteFile = null;
    }

    /// <summary>
    /// Erases everything from <paramref name="validBytes"/> on (truncate, then preallocate again when asked),
    /// synced, so bytes after the last valid batch can never be read as data later.
    /// </summary>
    public void EraseAfter(long validBytes, long preallocateBytes)
    {
        NativeFile file = WriteFile ?? NativeFile.Open(LogPath, NativeOpenFlags.ReadWrite);
        try
        {
            file.Truncate(validBytes);
            file.Sync(dataOnly: false);
            if (preallocateBytes > validBytes)
            {
                file.Allocate(0, preallocateBytes);
            }
            AllocatedBytes = Math.Max(validBytes, preallocateBytes);
        }
        finally
        {
            if (file != WriteFile)
            {
                file.Dispose();
            }
        }
    }

    /// <summary>
    /// Deletes the segment's files but keeps the page-cache read descriptor open and returns it: a fetch response being
    /// sent may still reference it by descriptor, and an unlinked file stays readable through an open descriptor. The
    /// caller closes it later (as Kafka delays deletes by file.delete.delay.ms).
    /// </summary>
    public FastMQ.Interop.NativeFile DeleteDeferringReadClose()
    {
        WriteFile?.Dispose();
        WriteFile = null;
        Index.Dispose();
        TimeIndex.Dispose();
        File.Delete(LogPath);
        DeleteIndexFiles(Directory, BaseOffset);
        return ReadFile;
    }

    /// <summary>Closes the files and deletes the segment's files (data file first: a stray index is harmless).</summary>
    public void Delete()
    {
        Dispose();
        File.Delete(LogPath);
        DeleteIndexFiles(Directory, BaseOffset);
    }

    public void Dispose()
    {
        WriteFile?.Dispose();
        WriteFile = null;
        ReadFile.Dispose();
        Index.Dispose();
        TimeIndex.Dispose();
    }

    public override string ToString() => LogPath;

    internal static void DeleteIndexFiles(string directory, Offset baseOffset)
    {
        File.Delete(SegmentFileNames.IndexPath(directory, baseOffset));
        File.Delete(SegmentFileNames.TimeIndexPath(directory, baseOffset));
    }

    private static NativeFile ThrowSealed()
    {
        ThrowHelper.InvalidOperation("the segment is sealed");
        return null!;
    }
}
