using System;
using FastMQ.Protocol.Compression;

namespace FastMQ.Protocol.Records;

/// <summary>
/// Reads one RecordBatch v2: checks the header's structure, decompresses the records area when needed and iterates
/// the records as <see cref="Record"/> views (<c>foreach</c> or <see cref="TryReadNext"/>).
/// </summary>
/// <remarks>
/// It does not verify the CRC: run <see cref="RecordBatchValidator.Validate"/> on data from outside first (the
/// produce path and log recovery already do). Records of an uncompressed batch are views over
/// <c>batch</c>; those of a compressed batch are views over the <see cref="RecordDecompressor"/>'s buffer and stay
/// valid until its next use. Allocates nothing itself. Malformed input throws <see cref="CorruptRecordException"/>.
/// </remarks>
public ref struct RecordBatchReader
{
    private readonly ReadOnlySpan<byte> _batch;
    private RecordReader _records;

    /// <param name="batch">A buffer starting with the batch; bytes after it are ignored.</param>
    /// <param name="decompressor">Needed only for compressed batches.</param>
    /// <exception cref="CorruptRecordException">The header is inconsistent or the records area does not decompress.</exception>
    /// <exception cref="InvalidOperationException">The batch is compressed and no decompressor was given.</exception>
    public RecordBatchReader(ReadOnlySpan<byte> batch, RecordDecompressor? decompressor = null)
    {
        if (batch.Length < RecordBatchDescriptor.HeaderSize)
        {
            RecordErrors.Throw($"batch of {batch.Length} bytes is shorter than the {RecordBatchDescriptor.HeaderSize}-byte header");
        }
        var header = new RecordBatchHeader(batch);
        if (header.Magic != RecordBatchDescriptor.CurrentMagic)
        {
            RecordErrors.Throw($"batch magic is {header.Magic}, only {RecordBatchDescriptor.CurrentMagic} is supported");
        }
        long totalSize = (long)header.BatchLength + RecordBatchDescriptor.LogOverhead;
        if (totalSize < RecordBatchDescriptor.HeaderSize || totalSize > batch.Length)
        {
            RecordErrors.Throw($"batchLength {header.BatchLength} does not fit the {batch.Length} bytes given");
        }
        CompressionCodec codec = header.Compression;
        if (codec > CompressionCodec.Zstd)
        {
            RecordErrors.Throw($"batch uses reserved compression codec {(int)codec}");
        }
        batch = batch[..(int)totalSize];
        _batch = batch;
        ReadOnlySpan<byte> payload = batch[RecordBatchDescriptor.HeaderSize..];
        ReadOnlySpan<byte> area;
        if (codec == CompressionCodec.None)
        {
            area = payload;
        }
        else
        {
            if (decompressor is null)
            {
                Core.ThrowHelper.InvalidOperation($"the batch is compressed ({codec}); pass a RecordDecompressor");
            }
            area = decompressor.Decompress(codec, payload);
        }
        _records = new RecordReader(area, header.RecordsCount);
    }

    public readonly RecordBatchHeader Header => new(_batch);

    /// <summary>The batch itself (batchLength + 12 bytes).</summary>
    public readonly ReadOnlySpan<byte> Batch => _batch;

    public readonly int RecordsCount => _records.RecordsCount;

    public readonly RecordReader GetEnumerator() => _records;

    public bool TryReadNext(out Record record) => _records.TryReadNext(out record);

    /// <summary>The absolute offset of <paramref name="record"/>: baseOffset + offsetDelta.</summary>
    public readonly long OffsetOf(in Record record) => Header.BaseOffset + record.OffsetDelta;

    /// <summary>The record's timestamp: baseTimestamp + timestampDelta, or maxTimestamp for LogAppendTime batches.</summary>
    public readonly long TimestampOf(in Record record)
    {
        RecordBatchHeader header = Header;
        return header.IsLogAppendTime ? header.MaxTimestamp : header.BaseTimestamp + record.TimestampDelta;
    }
}
