using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace FastMQ.Client.Producing;

/// <summary>
/// The producer's batch memory: uniform 16 KiB chunks, reused, with the bytes lent out bounded by <c>buffer.memory</c>.
/// A batch is a list of chunks, so it grows without copying and any batch reuses any chunk.
/// </summary>
/// <remarks>
/// <para>Why uniform chunks: with arrays that grow by size class, the mix of classes in use drifts and each new peak
/// of one class allocates; with one chunk size the pool stops allocating once it has held <c>buffer.memory</c> worth
/// of chunks (back-pressure reaches that bound quickly under load), which is what makes steady-state producing
/// allocation-free. A partition with a small open batch pins only 16 KiB.</para>
/// <para>Threading: any thread rents and returns. One short lock per chunk (16 KiB of records, never per record) guards
/// the free stack; the used counter is an interlocked add. Waiters (Produce under back-pressure) park on a monitor that
/// <see cref="Return(byte[], bool)"/> pulses only when someone waits. A chunk is still lent when nothing else is out, so a
/// <c>buffer.memory</c> below one chunk slows producing down instead of deadlocking it.</para>
/// </remarks>
internal sealed class BufferMemory
{
    public const int ChunkShift = 14;
    public const int ChunkBytes = 1 << ChunkShift;

    private readonly long _limit;
    private readonly Stack<byte[]> _free = new();
    private readonly object _waitLock = new();
    private long _used;
    private int _waiters;

    public BufferMemory(long limitBytes)
    {
        _limit = limitBytes;
    }

    /// <summary>
    /// Per-record report slots. Each new chunk adds one slot array (256 records, i.e. one per 64 bytes of chunk) to this
    /// pool, so slot arrays in existence always cover the chunks in existence and stop growing with them (for records
    /// of 64 bytes or more on average; smaller ones may grow it further, once per new peak).
    /// </summary>
    public RecordMetaPool MetaPool { get; } = new();

    /// <summary>Bytes lent out now.</summary>
    public long Used => Volatile.Read(ref _used);

    public long Limit => _limit;

    /// <summary>Threads waiting for memory; the sender then seals open batches at once instead of lingering.</summary>
    public int Waiters => Volatile.Read(ref _waiters);

    /// <summary>A chunk, or null when lending it would exceed the limit (unless <paramref name="ignoreLimit"/>).</summary>
    public byte[]? TryRent(bool ignoreLimit = false)
    {
        long after = Interlocked.Add(ref _used, ChunkBytes);
        if (!ignoreLimit && after > _limit && after != ChunkBytes)
        {
            Interlocked.Add(ref _used, -ChunkBytes);
            return null;
        }
        lock (_free)
        {
            if (_free.TryPop(out byte[]? chunk))
            {
                return chunk;
            }
        }
        MetaPool.Add(new RecordMeta[RecordMetaPool.ChunkSize]);
        return GC.AllocateUninitializedArray<byte>(ChunkBytes);
    }

    /// <summary>Like <see cref="TryRent"/> but waits until memory is returned, up to <paramref name="timeout"/>; null on timeout.</summary>
    public byte[]? Rent(TimeSpan timeout)
    {
        byte[]? chunk = TryRent();
        if (chunk is not null)
        {
            return chunk;
        }
        long deadline = Stopwatch.GetTimestamp() + (long)Math.Min(timeout.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 2);
        Interlocked.Increment(ref _waiters);
        try
        {
            while (true)
            {
                lock (_waitLock)
                {
                    chunk = TryRent();
                    if (chunk is not null)
                    {
                        return chunk;
                    }
                    long left = deadline - Stopwatch.GetTimestamp();
                    if (left <= 0)
                    {
                        return null;
                    }
                    // Bounded wait: a return between TryRent and Wait pulses nobody, so re-check at least every 10 ms.
                    Monitor.Wait(_waitLock, (int)Math.Clamp(left * 1000 / Stopwatch.Frequency, 1, 10));
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }

    public void Return(byte[] chunk) => Return(chunk, signal: true);

    /// <summary>
    /// Returns a chunk; with <paramref name="signal"/> false the caller calls <see cref="SignalWaiters"/> after its
    /// last chunk, so a returned batch wakes a waiting producer once, not once per chunk.
    /// </summary>
    public void Return(byte[] chunk, bool signal)
    {
        Debug.Assert(chunk.Length == ChunkBytes, "not a chunk from this pool");
        lock (_free)
        {
            // Keep no more free chunks than the limit could lend at once (plus the over-limit ones the sender may take).
            if ((long)_free.Count * ChunkBytes < _limit + 64L * ChunkBytes)
            {
                _free.Push(chunk);
            }
        }
        Interlocked.Add(ref _used, -ChunkBytes);
        if (signal)
        {
            SignalWaiters();
        }
    }

    /// <summary>Wakes producers waiting for memory, if any.</summary>
    public void SignalWaiters()
    {
        if (Volatile.Read(ref _waiters) > 0)
        {
            lock (_waitLock)
            {
                Monitor.PulseAll(_waitLock);
            }
        }
    }
}
