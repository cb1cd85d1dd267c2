using System;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Records;

namespace FastMQ.Client.Consuming;

/// <summary>
/// The application thread's read position inside the completed fetches: which fetch, slice, batch and record is
/// next. Hands out one <see cref="ConsumeRecord"/> per call without allocating.
/// </summary>
/// <remarks>
/// <para>Records of uncompressed batches are views over the pooled response frame; a compressed batch is decompressed
/// once into <see cref="RecordDecompressor"/>'s buffer and copied into a buffer of this cursor (so the position can be
/// kept across calls in a class), and its records are views over that copy. A frame is released (back to the
/// connection's pool) when the cursor moves past its last record, i.e. on the call after the one that returned it,
/// which is what makes a returned record valid until the next call.</para>
/// <para>Each batch is checked (length, magic, CRC-32C) before its records are read; control batches and records
/// before the partition's position (compressed batches start before a fetch offset) are skipped.</para>
/// <para>Threading: application thread only; takes the hub lock once per fetch response.</para>
/// </remarks>
internal sealed class RecordCursor : IDisposable
{
    private readonly FetchHub _hub;
    private readonly RecordDecompressor _decompressor = new();
    private byte[] _decompressed = new byte[64 * 1024];
    private CompletedFetch? _fetch;
    private int _slice;
    private PartitionState? _partition;
    private int _sliceEpoch;
    private long _sliceNext;
    private int _batchPos;
    private int _sliceEnd;
    private bool _inBatch;
    private bool _areaDecompressed;
    private int _areaPos;
    private int _areaEnd;
    private int _recordsLeft;
    private long _baseOffset;
    private long _baseTimestamp;
    private long _maxTimestamp;
    private bool _logAppendTime;

    public RecordCursor(FetchHub hub)
    {
        _hub = hub;
    }

    /// <summary>The next buffered record, or false when every completed fetch has been read. Never blocks.</summary>
    public bool TryRead(out ConsumeRecord record)
    {
        while (true)
        {
            if (_inBatch)
            {
                if (_recordsLeft > 0 && TryReadRecord(out record))
                {
                    return true;
                }
                if (_recordsLeft > 0)
                {
                    continue;
                }
                _inBatch = false;
            }
            if (_partition is not null)
            {
                if (OpenNextBatch())
                {
                    continue;
                }
                FinishSlice();
            }
            if (_fetch is not null && OpenNextSlice())
            {
                continue;
            }
            if (!TakeNextFetch())
            {
                record = default;
                return false;
            }
        }
    }

    /// <summary>Drops what is buffered for <paramref name="partition"/> in the current slice (after a seek or pause).</summary>
    public void Abandon(PartitionState partition)
    {
        if (ReferenceEquals(_partition, partition))
        {
            _inBatch = false;
            _batchPos = _sliceEnd;
            _sliceEpoch = -1;
        }
    }

    /// <summary>Releases the current fetch and every queued one (closing, or every partition revoked).</summary>
    public void ReleaseAll()
    {
        lock (_hub.Sync)
        {
            ReleaseCurrentLocked();
            while (_hub.TryTake(out CompletedFetch? f))
            {
                f!.Frame!.Release();
                f.Owner!.OnReleasedLocked();
                _hub.Return(f);
            }
        }
    }

    public void Dispose()
    {
        ReleaseAll();
        _decompressor.Dispose();
    }

    private bool TryReadRecord(out ConsumeRecord record)
    {
        ReadOnlySpan<byte> area = _areaDecompressed
            ? _decompressed.AsSpan(_areaPos, _areaEnd - _areaPos)
            : _fetch!.Frame!.Span[_areaPos.._areaEnd];
        var reader = new RecordReader(area, _recordsLeft);
        reader.TryReadNext(out Record r);
        _areaPos += r.SizeInBytes;
        _recordsLeft--;
        long offset = _baseOffset + r.OffsetDelta;
        PartitionState p = _partition!;
        if (offset < p.Position)
        {
            record = default;
            return false;
        }
        p.Position = offset + 1;
        long timestamp = _logAppendTime ? _maxTimestamp : _baseTimestamp + r.TimestampDelta;
        record = new ConsumeRecord(p.Id.Topic, p.Id.Partition, offset, timestamp, _logAppendTime, r);
        return true;
    }

    private bool OpenNextBatch()
    {
        PartitionState p = _partition!;
        // Epoch is written only by the application thread (seek, pause, revoke), so reading it here needs no lock.
        if (p.Epoch != _sliceEpoch)
        {
            return false;
        }
        ReadOnlySpan<byte> frame = _fetch!.Frame!.Span;
        while (_batchPos < _sliceEnd)
        {
            ReadOnlySpan<byte> rest = frame[_batchPos.._sliceEnd];
            BatchValidation validation = RecordBatchValidator.Validate(rest, out int size);
            if (validation != BatchValidation.Valid)
            {
                long baseOffset = rest.Length >= 8 ? new RecordBatchHeader(rest).BaseOffset : -1;
                _batchPos = _sliceEnd;
                _sliceEpoch = -1;
                throw new ConsumerException(
                    $"the broker sent a bad record batch for {p.Id} at offset {baseOffset}: {validation}", "CORRUPT_MESSAGE");
            }
            var header = new RecordBatchHeader(rest);
            int start = _batchPos;
            _batchPos += size;
            if (header.IsControl || header.LastOffset < p.Position)
            {
                continue;
            }
            _baseOffset = header.BaseOffset;
            _baseTimestamp = header.BaseTimestamp;
            _maxTimestamp = header.MaxTimestamp;
            _logAppendTime = header.IsLogAppendTime;
            _recordsLeft = header.RecordsCount;
            CompressionCodec codec = header.Compression;
            if (codec == CompressionCodec.None)
            {
                _areaDecompressed = false;
                _areaPos = start + RecordBatchDescriptor.HeaderSize;
                _areaEnd = start + size;
            }
            else
            {
                Decompress(codec, rest[RecordBatchDescriptor.HeaderSize..size], p);
            }
            _inBatch = true;
            return true;
        }
        return false;
    }

    private void Decompress(CompressionCodec codec, ReadOnlySpan<byte> payload, PartitionState p)
    {
        ReadOnlySpan<byte> area;
        try
        {
            area = _decompressor.Decompress(codec, payload);
        }
        catch (CorruptRecordException e)
        {
            _batchPos = _sliceEnd;
            _sliceEpoch = -1;
            throw new ConsumerException($"a {codec} batch of {p.Id} does not decompress: {e.Message}", e);
        }
        if (_decompressed.Length < area.Length)
        {
            _decompressed = new byte[Math.Max(area.Length, _decompressed.Length * 2)]; // warm-up: grows to the largest batch
        }
        area.CopyTo(_decompressed);
        _areaDecompressed = true;
        _areaPos = 0;
        _areaEnd = area.Length;
    }

    private void FinishSlice()
    {
        PartitionState p = _partition!;
        // Control batches and compacted gaps at the end of the slice are behind us: the position moves past them, as
        // Kafka's consumers do, so that a commit does not point before records that will never be returned.
        if (p.Epoch == _sliceEpoch && _sliceNext > p.Position)
        {
            p.Position = _sliceNext;
        }
        _partition = null;
    }

    private bool OpenNextSlice()
    {
        CompletedFetch fetch = _fetch!;
        while (++_slice < fetch.SliceCount)
        {
            ref readonly FetchSlice s = ref fetch.Slice(_slice);
            if (s.Partition.Epoch != s.Epoch || s.Partition.Revoked)
            {
                continue;
            }
            _partition = s.Partition;
            _sliceEpoch = s.Epoch;
            _sliceNext = s.NextOffset;
            _batchPos = s.Start;
            _sliceEnd = s.Start + s.Length;
            return true;
        }
        return false;
    }

    private bool TakeNextFetch()
    {
        lock (_hub.Sync)
        {
            ReleaseCurrentLocked();
            if (!_hub.TryTake(out CompletedFetch? next))
            {
                return false;
            }
            _fetch = next;
            _slice = -1;
            return true;
        }
    }

    private void ReleaseCurrentLocked()
    {
        _inBatch = false;
        _partition = null;
        if (_fetch is null)
        {
            return;
        }
        _fetch.Frame!.Release();
        _fetch.Owner!.OnReleasedLocked();
        _hub.Return(_fetch);
        _fetch = null;
    }
}
