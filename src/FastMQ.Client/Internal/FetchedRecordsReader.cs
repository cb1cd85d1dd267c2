using System;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Records;

namespace FastMQ.Client.Internal;

/// <summary>
/// Walks the records of one partition of a Fetch response: validates each batch (length, magic, CRC-32C), skips
/// control batches and records before the fetch offset, decompresses, and stops at a trailing partial batch (brokers
/// cut the last batch at the size limit, kafka-protocol.md §6.1).
/// </summary>
/// <remarks>
/// A <see cref="Record"/> returned stays valid until the next call (it may point into the decompressor's buffer).
/// <see cref="NextOffset"/> is the offset to fetch next: one past the last complete batch seen, or the fetch offset
/// when there was none. A corrupt batch throws <see cref="BrokerProtocolException"/>; a malformed record inside a
/// valid batch throws <see cref="CorruptRecordException"/>.
/// </remarks>
internal ref struct FetchedRecordsReader
{
    private readonly long _fetchOffset;
    private readonly RecordDecompressor _decompressor;
    private ReadOnlySpan<byte> _remaining;
    private RecordBatchReader _batch;
    private bool _inBatch;

    public FetchedRecordsReader(ReadOnlySpan<byte> records, long fetchOffset, RecordDecompressor decompressor)
    {
        ArgumentNullException.ThrowIfNull(decompressor);
        _remaining = records;
        _fetchOffset = fetchOffset;
        _decompressor = decompressor;
        NextOffset = fetchOffset;
    }

    public long NextOffset { get; private set; }

    /// <summary>Complete batches seen so far (control batches included).</summary>
    public int BatchesRead { get; private set; }

    public bool TryReadNext(out Record record, out long offset, out long timestampMs)
    {
        while (true)
        {
            if (_inBatch)
            {
                while (_batch.TryReadNext(out record))
                {
                    offset = _batch.OffsetOf(record);
                    if (offset >= _fetchOffset)
                    {
                        timestampMs = _batch.TimestampOf(record);
                        return true;
                    }
                }
                _inBatch = false;
            }
            if (!TryOpenNextBatch())
            {
                record = default;
                offset = -1;
                timestampMs = -1;
                return false;
            }
        }
    }

    private bool TryOpenNextBatch()
    {
        while (_remaining.Length >= RecordBatchDescriptor.LogOverhead)
        {
            BatchValidation validation = RecordBatchValidator.Validate(_remaining, out int size);
            if (validation == BatchValidation.Incomplete)
            {
                return false;
            }
            if (validation != BatchValidation.Valid)
            {
                long baseOffset = _remaining.Length >= 8 ? new RecordBatchHeader(_remaining).BaseOffset : -1;
                throw new BrokerProtocolException($"the broker sent a bad record batch at offset {baseOffset}: {validation}");
            }
            ReadOnlySpan<byte> batch = _remaining[..size];
            _remaining = _remaining[size..];
            BatchesRead++;
            var header = new RecordBatchHeader(batch);
            NextOffset = Math.Max(NextOffset, header.LastOffset + 1);
            if (header.IsControl || header.LastOffset < _fetchOffset)
            {
                continue;
            }
            _batch = new RecordBatchReader(batch, _decompressor);
            _inBatch = true;
            return true;
        }
        return false;
    }
}
