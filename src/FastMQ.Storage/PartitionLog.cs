using System;
using System.Collections.Generic;
using System.IO;
using FastMQ.Core;
using FastMQ.Memory;
using FastMQ.Storage.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastMQ.Storage;

/// <summary>
/// The durable log of one partition: a directory of segments holding Kafka RecordBatch v2 batches exactly as
/// produced (base offset and leader epoch assigned in place), written with O_DIRECT through the shard's
/// <see cref="LogIoContext"/> and read back without decoding records.
/// </summary>
/// <remarks>
/// <para>Threading: a log is owned by one shard thread and is not thread-safe; it takes no locks. Its
/// <see cref="LogIoContext"/> must be owned by the same thread.</para>
/// <para>Positions, in offsets (each one "the offset after the last …", i.e. exclusive):</para>
/// <list type="bullet">
/// <item><see cref="LogStartOffset"/>: first offset still kept (retention, DeleteRecords).</item>
/// <item><see cref="FlushedOffset"/>: every offset below it is on disk and fdatasync-ed (durable across power loss).</item>
/// <item><see cref="WrittenOffset"/>: every offset below it has been written to the device (survives a process crash).</item>
/// <item><see cref="HighWatermark"/>: set by the owner; offsets below it are visible to consumers. With one replica the
/// owner sets it to <see cref="AcknowledgeableOffset"/>; replication will move it by follower progress.</item>
/// <item><see cref="LogEndOffset"/>: the next offset to assign.</item>
/// </list>
/// <para>Orderings: first segment base ≤ LogStartOffset ≤ HighWatermark ≤ LogEndOffset, and
/// FlushedOffset ≤ WrittenOffset ≤ LogEndOffset. HighWatermark is not tied to FlushedOffset (a replicated log may
/// expose data replicated but not yet synced). All of them are batch boundaries.</para>
/// <para>Lifecycle: <see cref="Open"/> (recovers: a clean-shutdown marker skips the scan), then on the shard thread
/// <see cref="TryAppend"/>, <see cref="Poll"/> every turn, reads, <see cref="ApplyRetention"/> now and then, and
/// <see cref="Close"/> (flushes, trims, writes indexes and the marker).</para>
/// <para>Blocking: <see cref="TryAppend"/> never waits for the disk except when its write buffer wraps while a
/// write is in flight (it waits for that one write) and when it rolls a segment (the old segment's last write,
/// an fdatasync and the new file's fallocate). <see cref="Poll"/> never blocks; <see cref="WaitDurable"/>,
/// <see cref="Flush"/> and <see cref="Close"/> do, for tools and tests.</para>
/// </remarks>
public sealed partial class PartitionLog : ILogIoTarget, IDisposable
{
    private const uint WriteTag = 1;
    private const uint SyncTag = 2;

    private readonly string _directory;
    private readonly PartitionLogOptions _options;
    private readonly LogIoContext _io;
    private readonly ILogger _logger;
    private readonly AlignedBuffer _buffer;
    private readonly List<Segment> _segments = [];

    /// <summary>How long a deleted segment's read descriptor stays open for responses still sending from it (Kafka's file.delete.delay.ms).</summary>
    private const long RetiredReadFileCloseDelayMs = 60_000;

    private readonly Queue<(Interop.NativeFile File, long CloseAtMs)> _retiredReadFiles = new();
    private Segment _active = null!;
    private int _slot = -1;

    // The write buffer mirrors the active segment's bytes [_bufferStart, _active.DataBytes); _bufferStart is
    // 4 KiB-aligned and every buffer byte at or past the data end is zero (it is written as block padding).
    private long _bufferStart;
    private long _writtenBytes;

    private bool _writeInFlight;
    private long _inFlightEndBytes;
    private Offset _inFlightEndOffset;
    private int _inFlightLength;

    private bool _syncInFlight;
    private Offset _syncTarget;
    private long _unsyncedBytes;
    private long _firstUnsyncedNs;
    private Offset _forceSyncTo;

    private bool _diskFull;
    private long _retryAtNs;
    private int _faultErrno;
    private bool _closed;

    private Offset _logStartOffset;
    private Offset _highWatermark;
    private Offset _logEndOffset;
    private Offset _writtenOffset;
    private Offset _flushedOffset;

    private PartitionLog(string directory, PartitionLogOptions options, LogIoContext io, ILogger logger)
    {
        _directory = directory;
        _options = options;
        _io = io;
        _logger = logger;
        _buffer = new AlignedBuffer(options.WriteBufferBytes);
    }

    public string DirectoryPath => _directory;

    public PartitionLogOptions Options => _options;

    public Offset LogStartOffset => _logStartOffset;

    public Offset HighWatermark => _highWatermark;

    public Offset LogEndOffset => _logEndOffset;

    public Offset WrittenOffset => _writtenOffset;

    public Offset FlushedOffset => _flushedOffset;

    /// <summary>
    /// Appends with a last offset below this may be acknowledged under the log's <see cref="CommitPolicy"/>:
    /// <see cref="FlushedOffset"/> for the fsync policies, <see cref="WrittenOffset"/> for <see cref="CommitPolicy.None"/>.
    /// </summary>
    public Offset AcknowledgeableOffset => _options.CommitPolicy.Mode == CommitMode.None ? _writtenOffset : _flushedOffset;

    /// <summary>True while a write failed with ENOSPC/EDQUOT and has not succeeded again; appends get <see cref="AppendStatus.DiskFull"/>.</summary>
    public bool IsDiskFull => _diskFull;

    /// <summary>The errno of the I/O error that faulted the log, or 0.</summary>
    public int FaultErrno => _faultErrno;

    public bool IsClosed => _closed;

    public LogRecoveryInfo Recovery { get; private set; } = null!;

    public int SegmentCount => _segments.Count;

    /// <summary>Bytes of batches in all segments (not the preallocated size).</summary>
    public long SizeBytes
    {
        get
        {
            long total = 0;
            foreach (Segment s in _segments)
            {
                total += s.DataBytes;
            }
            return total;
        }
    }

    /// <summary>
    /// Opens the log in <paramref name="directory"/> (created with one empty segment if missing) and registers it on
    /// <paramref name="io"/>. Without a valid clean-shutdown marker the active segment is scanned (length, CRC and
    /// offset continuity), its torn or invalid tail erased on disk and logged; indexes that are missing or damaged
    /// are rebuilt. <paramref name="onRecoveredBatch"/> sees every batch header a scan validates.
    /// </summary>
    /// <exception cref="IOException">The directory or a segment cannot be opened or repaired.</exception>
    public static PartitionLog Open(string directory, PartitionLogOptions options, LogIoContext io, ILogger? logger = null,
        BatchHeaderCallback? onRecoveredBatch = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(io);
        options.Validate();
        System.IO.Directory.CreateDirectory(directory);
        var log = new PartitionLog(Path.GetFullPath(directory), options, io, logger ?? NullLogger.Instance);
        try
        {
            log.Recover(onRecoveredBatch);
            log._slot = io.Register(log);
        }
        catch
        {
            log.ReleaseResources();
            throw;
        }
        return log;
    }

    /// <summary>Lets the log's context do one storage turn (for every log on it); never blocks. See <see cref="LogIoContext.Poll()"/>.</summary>
    public int Poll() => _io.Poll();

    /// <summary>
    /// Sets the high watermark; false (and no change) when <paramref name="offset"/> is outside
    /// [<see cref="LogStartOffset"/>, <see cref="LogEndOffset"/>].
    /// </summary>
    public bool TrySetHighWatermark(Offset offset)
    {
        if (offset < _logStartOffset || offset > _logEndOffset)
        {
            return false;
        }
        _highWatermark = offset;
        return true;
    }

    /// <summary>
    /// Flushes everything appended, trims the active segment to its data, persists its indexes and writes the
    /// clean-shutdown marker, then releases the files and the buffer. If the log cannot be made durable (faulted,
    /// disk full) it closes without the marker and the next open recovers by scanning.
    /// </summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }
        AppendStatus status = _faultErrno != 0 ? AppendStatus.IoError : WaitDurable(_logEndOffset);
        while (_writeInFlight || _syncInFlight)
        {
            _ = _io.Poll(1);
        }
        if (status == AppendStatus.Ok)
        {
            try
            {
                _active.TrimAndSync();
                _active.AppendFinalTimeEntry();
                _active.PersistIndexes();
                CleanShutdownMarker.Write(_directory, _active.BaseOffset, _active.DataBytes, _logEndOffset);
                DurableFiles.SyncDirectory(_directory);
            }
            catch (IOException e)
            {
                StorageLog.UncleanClose(_logger, _directory, e.Message);
            }
        }
        else
        {
            StorageLog.UncleanClose(_logger, _directory, status.ToString());
        }
        _closed = true;
        _io.Unregister(_slot);
        ReleaseResources();
    }

    public void Dispose() => Close();

    public override string ToString() => $"PartitionLog({_directory}, [{_logStartOffset}, {_logEndOffset}))";

    private void ReleaseResources()
    {
        while (_retiredReadFiles.TryDequeue(out (Interop.NativeFile File, long CloseAtMs) r))
        {
            r.File.Dispose();
        }
        foreach (Segment s in _segments)
        {
            s.Dispose();
        }
        _segments.Clear();
        _buffer.Dispose();
    }
}
