using System;
using FastMQ.Protocol.Records;

namespace FastMQ.Storage.CrashHarness;

/// <summary>
/// Deterministic RecordBatch v2 batches for storage tests and the crash harness: the same arguments always give
/// the same bytes, so a test can regenerate what a killed process appended from the numbers it printed.
/// </summary>
public static class BatchFactory
{
    /// <summary>Timestamp of batch 0 of a stream; batch i is stamped <c>StreamEpochMs + i</c>.</summary>
    public const long StreamEpochMs = 1_700_000_000_000;

    /// <summary>A batch of <paramref name="records"/> records, each with a 4-byte key and a <paramref name="valueBytes"/>-byte value.</summary>
    public static byte[] Build(int records, int valueBytes, long timestampMs, int seed)
    {
        var random = new Random(seed);
        using var builder = new RecordBatchBuilder();
        builder.Reset(new RecordBatchOptions());
        Span<byte> key = stackalloc byte[4];
        byte[] value = new byte[valueBytes];
        for (int r = 0; r < records; r++)
        {
            random.NextBytes(key);
            random.NextBytes(value);
            builder.Append(timestampMs + r, key, value);
        }
        byte[] batch = new byte[builder.Seal()];
        if (!builder.TryWriteTo(batch, out _))
        {
            throw new InvalidOperationException("sealed batch did not fit its own size");
        }
        return batch;
    }

    /// <summary>Batch number <paramref name="index"/> of stream <paramref name="streamSeed"/>: 1–8 records of 8–3000 bytes.</summary>
    public static byte[] BuildStream(int streamSeed, int index)
    {
        // Not HashCode.Combine: it is randomized per process, and the test regenerates in another process.
        var random = new Random(unchecked((streamSeed * 1_000_003) ^ index));
        int records = random.Next(1, 9);
        int valueBytes = random.Next(8, 3001);
        return Build(records, valueBytes, StreamEpochMs + index, random.Next());
    }
}
