using System;
using System.Diagnostics;
using System.Numerics;
using System.Threading;

namespace FastMQ.Broker.Metrics;

/// <summary>
/// A latency histogram with fixed log-linear buckets over whole microseconds, written by one shard thread and read at
/// scrape time by any thread. Recording is a few arithmetic instructions and three plain stores: no allocation, no lock,
/// no interlocked operation.
/// </summary>
/// <remarks>
/// <para>Buckets: values 0–7 µs get one bucket each; above, every power of two is split into four equal sub-buckets
/// (2 bits of precision, so a bucket is at most 25 % wide), up to 2^27 µs (134 s); longer values land in the last
/// bucket. Bucket i holds values below <see cref="UpperBoundMicros"/>[i].</para>
/// <para>Threading: one writer (the owning shard). Stores are release writes of plain longs; a reader may see a count
/// one record ahead of the sum or of another bucket, which a scrape tolerates (the next scrape is consistent again).</para>
/// </remarks>
public sealed class LatencyHistogram
{
    /// <summary>Sub-buckets per power of two (2^SubBits).</summary>
    private const int SubBits = 2;
    private const int LinearLimit = 8;
    private const int MaxExponent = 27;

    /// <summary>Number of buckets.</summary>
    public const int BucketCount = LinearLimit + ((MaxExponent - 3) << SubBits);

    /// <summary>Exclusive upper bound of each bucket in microseconds (the last one also takes everything above).</summary>
    public static readonly long[] UpperBoundMicros = BuildBounds();

    private readonly long[] _counts = new long[BucketCount];
    private long _sumNs;
    private long _count;

    /// <summary>Records <paramref name="elapsedNs"/> (negative values count as 0). Owning shard only.</summary>
    public void Record(long elapsedNs)
    {
        if (elapsedNs < 0)
        {
            elapsedNs = 0;
        }
        int index = BucketOf(elapsedNs / 1000);
        // Release stores: the writer is the only one, so load + store is exact; readers see whole longs.
        Volatile.Write(ref _counts[index], _counts[index] + 1);
        Volatile.Write(ref _sumNs, _sumNs + elapsedNs);
        Volatile.Write(ref _count, _count + 1);
    }

    public long Count => Volatile.Read(ref _count);

    public long SumNs => Volatile.Read(ref _sumNs);

    /// <summary>Records in bucket <paramref name="index"/> (a snapshot when read off the owning shard).</summary>
    public long BucketCountAt(int index) => Volatile.Read(ref _counts[index]);

    /// <summary>The bucket for <paramref name="micros"/> (≥ 0).</summary>
    public static int BucketOf(long micros)
    {
        Debug.Assert(micros >= 0);
        if (micros < LinearLimit)
        {
            return (int)micros;
        }
        int exponent = 63 - BitOperations.LeadingZeroCount((ulong)micros);
        if (exponent >= MaxExponent)
        {
            return BucketCount - 1;
        }
        int sub = (int)(micros >> (exponent - SubBits)) & ((1 << SubBits) - 1);
        return LinearLimit + ((exponent - 3) << SubBits) + sub;
    }

    private static long[] BuildBounds()
    {
        var bounds = new long[BucketCount];
        for (int i = 0; i < LinearLimit; i++)
        {
            bounds[i] = i + 1;
        }
        for (int exponent = 3; exponent < MaxExponent; exponent++)
        {
            for (int sub = 0; sub < 1 << SubBits; sub++)
            {
                int i = LinearLimit + ((exponent - 3) << SubBits) + sub;
                bounds[i] = ((1L << SubBits) + sub + 1) << (exponent - SubBits);
            }
        }
        bounds[^1] = long.MaxValue;
        return bounds;
    }

    /// <summary>Checks the layout once (a wrong bound would silently mislabel every scrape).</summary>
    internal static void AssertLayout()
    {
        for (int i = 1; i < BucketCount - 1; i++)
        {
            if (UpperBoundMicros[i] <= UpperBoundMicros[i - 1] || BucketOf(UpperBoundMicros[i] - 1) != i || BucketOf(UpperBoundMicros[i]) != i + 1)
            {
                throw new InvalidOperationException($"latency bucket {i} is inconsistent");
            }
        }
    }
}
