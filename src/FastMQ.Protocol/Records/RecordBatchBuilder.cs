using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Records;

/// <summary>
/// Builds one RecordBatch v2 at a time: append records, then <see cref="Seal"/> (compresses, fills the header and
/// the CRC-32C) and <see cref="TryWriteTo"/> a caller buffer. <see cref="Reset"/> starts the next batch.
/// </summary>
/// <remarks>
/// One instance per thread (not thread-safe), reused across batches: records are staged in a buffer the builder
/// keeps, so once it has grown to the largest batch, appending and sealing allocate nothing (gzip excepted, see
/// <see cref="RecordCompressor"/>). Offset deltas are 0, 1, 2 … in append order; baseTimestamp is the first
/// record's timestamp and maxTimestamp the largest. Records with headers: <see cref="BeginRecord"/>,
/// <see cref="AddHeader"/> per header, <see cref="EndRecord"/>; without: <see cref="Append"/>.
/// </remarks>
public sealed class RecordBatchBuilder : IDisposable
{
    private const int InitialCapacityBytes = 16 * 1024;

    private readonly GrowableBuffer _records = new(InitialCapacityBytes);
    private readonly GrowableBuffer _compressed = new(InitialCapacityBytes);
    private readonly byte[] _header = new byte[RecordBatchDescriptor.HeaderSize];
    private readonly bool _ownsCompressor;
    private RecordCompressor? _compressor;
    private RecordBatchOptions _options = new();
    private State _state;
    private int _count;
    private long _baseTimestamp;
    private long _maxTimestamp;
    private long _recordTimestamp;
    private int _recordStart;
    private int _lengthReserved;
    private int _headerCountPosition;
    private int _headerCount;
    private int _sealedSize;

    /// <param name="compressor">A compressor to share (not disposed by the builder); null creates one when needed.</param>
    public RecordBatchBuilder(RecordCompressor? compressor = null)
    {
        _compressor = compressor;
        _ownsCompressor = compressor is null;
    }

    private enum State
    {
        Open,
        InRecord,
        Sealed,
    }

    public RecordBatchOptions Options => _options;

    /// <summary>Records appended to the current batch.</summary>
    public int RecordCount => _count;

    /// <summary>Size the batch would have uncompressed: header plus the records staged so far.</summary>
    public int UncompressedSizeInBytes => RecordBatchDescriptor.HeaderSize + _records.Length;

    /// <summary>Discards the current batch and starts an empty one with <paramref name="options"/>.</summary>
    public void Reset(in RecordBatchOptions options)
    {
        if (options.Compression > CompressionCodec.Zstd)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(options), $"unknown compression codec {(int)options.Compression}");
        }
        _options = options;
        _records.Clear();
        _compressed.Clear();
        _state = State.Open;
        _count = 0;
        _sealedSize = 0;
    }

    /// <summary>Appends a record without headers.</summary>
    public void Append(long timestampMs, RecordBytes key, RecordBytes value)
    {
        BeginRecord(timestampMs, key, value);
        EndRecord();
    }

    /// <summary>Starts a record; add its headers with <see cref="AddHeader"/>, then call <see cref="EndRecord"/>.</summary>
    public void BeginRecord(long timestampMs, RecordBytes key, RecordBytes value)
    {
        if (_state != State.Open)
        {
            ThrowState(_state == State.Sealed ? "the batch is sealed; call Reset first" : "EndRecord the previous record first");
        }
        if (_count == int.MaxValue)
        {
            Core.ThrowHelper.InvalidOperation("a batch holds at most int.MaxValue records");
        }
        long timestampDelta = _count == 0 ? 0 : timestampMs - _baseTimestamp;
        int keyLength = key.WireLength;
        int valueLength = value.WireLength;
        long bodyBytes = 1 + Varint.SizeOfSigned64(timestampDelta) + Varint.SizeOfSigned(_count)
            + Varint.SizeOfSigned(keyLength) + Math.Max(keyLength, 0)
            + Varint.SizeOfSigned(valueLength) + Math.Max(valueLength, 0)
            + 1; // headersCount, one byte until there are more than 63 headers (see EndRecord)
        if (bodyBytes > int.MaxValue / 2)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(value), $"a record of {bodyBytes} bytes is too large");
        }
        int reserved = Varint.SizeOfSigned((int)bodyBytes);
        Span<byte> span = _records.GetSpan(reserved + (int)bodyBytes);
        int p = reserved;
        span[p++] = 0; // record attributes: unused
        p += Varint.WriteSigned64(span[p..], timestampDelta);
        p += Varint.WriteSigned(span[p..], _count);
        p += WriteNullable(span[p..], key);
        p += WriteNullable(span[p..], value);
        span[p++] = 0; // headersCount placeholder
        Debug.Assert(p == reserved + bodyBytes);

        _recordStart = _records.Length;
        _lengthReserved = reserved;
        _headerCountPosition = _recordStart + p - 1;
        _headerCount = 0;
        _recordTimestamp = timestampMs;
        _records.Advance(p);
        _state = State.InRecord;
    }

    /// <summary>Adds a header to the record started by <see cref="BeginRecord"/>.</summary>
    public void AddHeader(ReadOnlySpan<byte> key, RecordBytes value)
    {
        if (_state != State.InRecord)
        {
            ThrowState("AddHeader needs BeginRecord first");
        }
        int valueLength = value.WireLength;
        int size = Varint.SizeOfSigned(key.Length) + key.Length + Varint.SizeOfSigned(valueLength) + Math.Max(valueLength, 0);
        Span<byte> span = _records.GetSpan(size);
        int p = Varint.WriteSigned(span, key.Length);
        key.CopyTo(span[p..]);
        p += key.Length;
        p += WriteNullable(span[p..], value);
        Debug.Assert(p == size);
        _records.Advance(p);
        _headerCount++;
    }

    /// <summary>Finishes the record: writes its header count and length prefix.</summary>
    public void EndRecord()
    {
        if (_state != State.InRecord)
        {
            ThrowState("EndRecord needs BeginRecord first");
        }
        int countBytes = Varint.SizeOfSigned(_headerCount);
        if (countBytes > 1)
        {
            // Rare (more than 63 headers): make room for the longer count by moving the headers up.
            Shift(_headerCountPosition + 1, countBytes - 1);
        }
        Varint.WriteSigned(_records.RawSpan[_headerCountPosition..], _headerCount);

        int bodyStart = _recordStart + _lengthReserved;
        int bodyLength = _records.Length - bodyStart;
        int lengthBytes = Varint.SizeOfSigned(bodyLength);
        if (lengthBytes > _lengthReserved)
        {
            // Headers pushed the length past a 7-bit boundary the reservation did not cover.
            Shift(bodyStart, lengthBytes - _lengthReserved);
        }
        Varint.WriteSigned(_records.RawSpan[_recordStart..], bodyLength);

        if (_count == 0)
        {
            _baseTimestamp = _recordTimestamp;
            _maxTimestamp = _recordTimestamp;
        }
        else if (_recordTimestamp > _maxTimestamp)
        {
            _maxTimestamp = _recordTimestamp;
        }
        _count++;
        _state = State.Open;
    }

    /// <summary>
    /// Finishes the batch (compresses the records, writes the header and CRC-32C) and returns its size. Idempotent
    /// until the next <see cref="Reset"/>; no more records can be appended.
    /// </summary>
    public int Seal()
    {
        if (_state == State.Sealed)
        {
            return _sealedSize;
        }
        if (_state == State.InRecord)
        {
            ThrowState("EndRecord the last record before sealing");
        }
        if (_count == 0)
        {
            ThrowState("a batch needs at least one record");
        }
        ReadOnlySpan<byte> payload = _records.WrittenSpan;
        if (_options.Compression != CompressionCodec.None)
        {
            _compressed.Clear();
            _compressor ??= new RecordCompressor();
            _compressor.Compress(_options.Compression, payload, _compressed);
            payload = _compressed.WrittenSpan;
        }
        long batchLength = RecordBatchDescriptor.HeaderSize - RecordBatchDescriptor.LogOverhead + (long)payload.Length;
        if (batchLength + RecordBatchDescriptor.LogOverhead > Array.MaxLength)
        {
            Core.ThrowHelper.InvalidOperation($"a batch of {batchLength} bytes is too large");
        }
        WriteHeader((int)batchLength, payload);
        _sealedSize = (int)batchLength + RecordBatchDescriptor.LogOverhead;
        _state = State.Sealed;
        return _sealedSize;
    }

    /// <summary>
    /// Seals the batch if needed and copies it to <paramref name="destination"/>; false (nothing written) when the
    /// destination is smaller than <see cref="Seal"/>'s result.
    /// </summary>
    public bool TryWriteTo(Span<byte> destination, out int bytesWritten)
    {
        int size = Seal();
        if (destination.Length < size)
        {
            bytesWritten = 0;
            return false;
        }
        _header.CopyTo(destination);
        SealedPayload.CopyTo(destination[RecordBatchDescriptor.HeaderSize..]);
        bytesWritten = size;
        return true;
    }

    public void Dispose()
    {
        if (_ownsCompressor)
        {
            _compressor?.Dispose();
            _compressor = null;
        }
    }

    private ReadOnlySpan<byte> SealedPayload =>
        _options.Compression == CompressionCodec.None ? _records.WrittenSpan : _compressed.WrittenSpan;

    private static int WriteNullable(Span<byte> destination, RecordBytes bytes)
    {
        int n = Varint.WriteSigned(destination, bytes.WireLength);
        if (bytes.IsNull)
        {
            return n;
        }
        bytes.Span.CopyTo(destination[n..]);
        return n + bytes.Span.Length;
    }

    private void WriteHeader(int batchLength, ReadOnlySpan<byte> payload)
    {
        Span<byte> h = _header;
        short attributes = (short)_options.Compression;
        if (_options.IsTransactional)
        {
            attributes |= RecordBatchDescriptor.TransactionalFlagMask;
        }
        BinaryPrimitives.WriteInt64BigEndian(h[RecordBatchDescriptor.BaseOffsetOffset..], _options.BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.BatchLengthOffset..], batchLength);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.PartitionLeaderEpochOffset..], _options.PartitionLeaderEpoch);
        h[RecordBatchDescriptor.MagicOffset] = RecordBatchDescriptor.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(h[RecordBatchDescriptor.AttributesOffset..], attributes);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.LastOffsetDeltaOffset..], _count - 1);
        BinaryPrimitives.WriteInt64BigEndian(h[RecordBatchDescriptor.BaseTimestampOffset..], _baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(h[RecordBatchDescriptor.MaxTimestampOffset..], _maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(h[RecordBatchDescriptor.ProducerIdOffset..], _options.ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(h[RecordBatchDescriptor.ProducerEpochOffset..], _options.ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.BaseSequenceOffset..], _options.BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.RecordsCountOffset..], _count);
        // The CRC covers attributes through the end of the batch: the rest of this header, then the payload.
        uint crc = Crc32C.Append(0xFFFFFFFFu, h[RecordBatchDescriptor.AttributesOffset..]);
        crc = ~Crc32C.Append(crc, payload);
        BinaryPrimitives.WriteUInt32BigEndian(h[RecordBatchDescriptor.CrcOffset..], crc);
    }

    /// <summary>Moves the staged bytes from <paramref name="from"/> to the end up by <paramref name="by"/>.</summary>
    private void Shift(int from, int by)
    {
        _records.EnsureFree(by);
        Span<byte> raw = _records.RawSpan;
        int length = _records.Length;
        raw[from..length].CopyTo(raw[(from + by)..]);
        _records.Advance(by);
    }

    [DoesNotReturn]
    private static void ThrowState(string message) => Core.ThrowHelper.InvalidOperation(message);
}
