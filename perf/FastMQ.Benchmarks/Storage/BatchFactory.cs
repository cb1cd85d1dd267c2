using System;
using FastMQ.Protocol.Records;

namespace FastMQ.Benchmarks.Storage;

/// <summary>
/// Builds the record batches the storage benchmarks append: uncompressed RecordBatch v2 of 1 KiB records (null
/// key, 1024-byte value, no headers), as many as fit in the requested batch size.
/// </summary>
/// <remarks>
/// Values are seeded pseudo-random bytes, so a disk or hypervisor that compresses or deduplicates cannot make the
/// log look faster than the raw baseline, which writes the same bytes.
/// </remarks>
public static class BatchFactory
{
    /// <summary>Value size of every record.</summary>
    public const int RecordValueBytes = 1024;

    private const long TimestampMs = 1_700_000_000_000;

    /// <summary>Builds a batch of at most <paramref name="batchBytes"/> bytes holding as many 1 KiB records as fit.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not even one record fits.</exception>
    public static BenchBatch Build(int batchBytes, int seed = 42)
    {
        byte[] value = new byte[RecordValueBytes];
        new Random(seed).NextBytes(value);
        using var builder = new RecordBatchBuilder();
        int count = CountThatFits(builder, value, batchBytes);
        if (count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchBytes), $"{batchBytes} bytes cannot hold one {RecordValueBytes}-byte record");
        }
        Fill(builder, value, count);
        byte[] batch = new byte[builder.Seal()];
        if (!builder.TryWriteTo(batch, out int written) || written != batch.Length)
        {
            throw new InvalidOperationException("the builder did not write the sealed batch");
        }
        BatchValidation validation = RecordBatchValidator.Validate(batch, out int size);
        if (validation != BatchValidation.Valid || size != batch.Length)
        {
            throw new InvalidOperationException($"built batch is invalid: {validation}, {size} of {batch.Length} bytes");
        }
        return new BenchBatch(batch, count);
    }

    /// <summary>Fills <paramref name="destination"/> with copies of <paramref name="pattern"/> (the last one cut short).</summary>
    public static void Repeat(ReadOnlySpan<byte> pattern, Span<byte> destination)
    {
        if (pattern.IsEmpty)
        {
            throw new ArgumentException("the pattern is empty", nameof(pattern));
        }
        for (int i = 0; i < destination.Length; i += pattern.Length)
        {
            pattern[..Math.Min(pattern.Length, destination.Length - i)].CopyTo(destination[i..]);
        }
    }

    private static int CountThatFits(RecordBatchBuilder builder, byte[] value, int batchBytes)
    {
        builder.Reset(new RecordBatchOptions());
        int count = 0;
        while (true)
        {
            builder.Append(TimestampMs + count, RecordBytes.Null, value);
            if (builder.UncompressedSizeInBytes > batchBytes)
            {
                return count;
            }
            count++;
        }
    }

    private static void Fill(RecordBatchBuilder builder, byte[] value, int count)
    {
        builder.Reset(new RecordBatchOptions());
        for (int i = 0; i < count; i++)
        {
            builder.Append(TimestampMs + i, RecordBytes.Null, value);
        }
    }
}
