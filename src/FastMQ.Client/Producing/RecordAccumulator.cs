using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Records;

namespace FastMQ.Client.Producing;

/// <summary>
/// Puts records into per-thread, per-partition batches and hands full or lingering batches to their partition's
/// ready queue for the sender.
/// </summary>
/// <remarks>
/// <para>Per record: a thread-local lookup, one CAS to take the open batch and one atomic exchange to give it back
/// (which also tells whether a sweep wants a wake-up) — no lock, no allocation. Per batch: a buffer from <see cref="BufferMemory"/> (where back-pressure happens), a lock on
/// the partition's ready queue at hand-off, and a wake-up of the sender.</para>
/// <para>Threading: <see cref="Append"/> from any thread; <see cref="Sweep"/> and <see cref="Recycle"/> from the sender.</para>
/// </remarks>
internal sealed class RecordAccumulator : IDisposable
{
    private readonly BufferMemory _memory;
    private readonly int _batchLimit;
    private readonly int _maxRecordBytes;
    private readonly long _deliveryTimeoutTicks;
    private readonly TimeSpan _maxBlock;
    private readonly Action _wakeSender;
    private readonly ThreadLocal<ProducerLane> _lane;
    private readonly object _lanesLock = new();
    private readonly Stack<ProducerBatch> _batchPool = new();
    private readonly object _flushLock = new();
    private ProducerLane[] _lanes = [];
    private long _outstanding;
    private int _senderThreadId = -1;

    public RecordAccumulator(BufferMemory memory, int batchLimit, int maxRecordBytes, TimeSpan deliveryTimeout, TimeSpan maxBlock,
        Action wakeSender)
    {
        _memory = memory;
        _batchLimit = Math.Max(batchLimit, RecordBatchDescriptor.HeaderSize + 1);
        _maxRecordBytes = maxRecordBytes;
        _deliveryTimeoutTicks = (long)(deliveryTimeout.TotalSeconds * Stopwatch.Frequency);
        _maxBlock = maxBlock;
        _wakeSender = wakeSender;
        _lane = new ThreadLocal<ProducerLane>(CreateLane);
    }

    public BufferMemory Memory => _memory;

    /// <summary>Batches opened and not yet recycled (open, queued, in flight or awaiting their reports).</summary>
    public long OutstandingBatches => Interlocked.Read(ref _outstanding);

    /// <summary>The sender thread, where Produce must never wait (it would wait for itself).</summary>
    public int SenderThreadId
    {
        get => Volatile.Read(ref _senderThreadId);
        set => Volatile.Write(ref _senderThreadId, value);
    }

    /// <summary>
    /// Appends one record to <paramref name="partition"/>. With <paramref name="block"/> it waits up to max.block.ms
    /// for buffer memory (then throws <see cref="ProduceException"/>); without, it returns <see cref="ProduceStatus.Full"/>.
    /// </summary>
    public ProduceStatus Append(PartitionState partition, long timestampMs, RecordBytes key, RecordBytes value,
        ReadOnlySpan<ProduceHeader> headers, IDeliveryHandler? handler, long state, object? stateObject, bool block)
    {
        ProducerLane lane = _lane.Value!;
        int slot = partition.Slot;
        lane.EnsureSlot(slot);
        ProducerBatch?[] open = lane.Open;
        ProducerBatch? batch = open[slot];
        if (batch is not null)
        {
            long generation = lane.Generations[slot];
            if (batch.TryBeginAppend(generation))
            {
                int size = batch.RecordSize(timestampMs, key, value, headers, out int bodySize);
                if (batch.Length + size <= _batchLimit && TryAddChunks(batch, batch.ChunksNeeded(size)))
                {
                    batch.Append(size, bodySize, timestampMs, key, value, headers, handler, state, stateObject);
                    Release(batch, generation, open, slot);
                    return ProduceStatus.Enqueued;
                }
                batch.CloseByOwner(generation);
                Handoff(batch);
            }
            open[slot] = null;
        }
        return AppendToNewBatch(lane, partition, timestampMs, key, value, headers, handler, state, stateObject, block);
    }

    /// <summary>
    /// Sender: hands off every idle open batch whose linger time is up (all of them when <paramref name="force"/>;
    /// with <paramref name="memoryPressure"/>, those of partitions with nothing else queued, which can go out now and
    /// free memory — sealing a busy partition's batch early would only make more, smaller requests).
    /// Returns the earliest time (Stopwatch ticks) another batch becomes due, or long.MaxValue.
    /// </summary>
    public long Sweep(long nowTicks, long lingerTicks, bool force, bool memoryPressure = false)
    {
        long next = long.MaxValue;
        foreach (ProducerLane lane in Volatile.Read(ref _lanes))
        {
            ProducerBatch?[] open = lane.Open;
            for (int i = 0; i < open.Length; i++)
            {
                ProducerBatch? batch = Volatile.Read(ref open[i]);
                if (batch is not null)
                {
                    next = SweepOne(batch, nowTicks, lingerTicks, force, memoryPressure, next);
                }
            }
        }
        return next;
    }

    /// <summary>
    /// One open batch of <see cref="Sweep"/>: hands it off when due; otherwise folds its deadline into
    /// <paramref name="next"/>. The producing thread may take the batch between any two of these steps, so each step
    /// acts on one state read and looks again when a CAS loses: an Appending batch is asked for a wake-up (the producing
    /// thread gives it, see <see cref="ProducerBatch.TryRequestSweep"/>), never silently skipped.
    /// </summary>
    private long SweepOne(ProducerBatch batch, long nowTicks, long lingerTicks, bool force, bool memoryPressure, long next)
    {
        for (int attempt = 0; attempt < 8; attempt++)
        {
            int state = batch.State;
            if (state == ProducerBatch.Appending)
            {
                if (batch.TryRequestSweep())
                {
                    return next;
                }
                continue;
            }
            if (state != ProducerBatch.Idle)
            {
                return next; // Closed, or a wake-up is already requested
            }
            long due = batch.CreatedTicks + lingerTicks;
            if (force || nowTicks >= due || (memoryPressure && !batch.Partition.HasReady))
            {
                if (batch.TryCloseIdle())
                {
                    Handoff(batch);
                    return next;
                }
                continue;
            }
            return Math.Min(next, due);
        }
        // The producing thread kept taking the batch back and forth: look again on the next sweep, soon.
        return Math.Min(next, nowTicks);
    }

    /// <summary>Sender: returns a delivered (or failed) batch's buffer and object for reuse.</summary>
    public void Recycle(ProducerBatch batch)
    {
        batch.ClearRecords();
        batch.ReturnChunks(_memory);
        batch.Retire();
        lock (_batchPool)
        {
            _batchPool.Push(batch);
        }
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            lock (_flushLock)
            {
                Monitor.PulseAll(_flushLock);
            }
        }
    }

    /// <summary>Waits until no batch is outstanding or <paramref name="timeout"/> passes; true when drained.</summary>
    public bool WaitDrained(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (OutstandingBatches > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return false;
            }
            _wakeSender();
            lock (_flushLock)
            {
                if (OutstandingBatches > 0)
                {
                    Monitor.Wait(_flushLock, (int)Math.Clamp(left * 1000 / Stopwatch.Frequency, 1, 20));
                }
            }
        }
        return true;
    }

    public void Dispose() => _lane.Dispose();

    private ProduceStatus AppendToNewBatch(ProducerLane lane, PartitionState partition, long timestampMs, RecordBytes key,
        RecordBytes value, ReadOnlySpan<ProduceHeader> headers, IDeliveryHandler? handler, long state, object? stateObject,
        bool block)
    {
        int size = ProducerBatch.RecordSize(0, timestampMs, timestampMs, key, value, headers, out int bodySize);
        int needed = RecordBatchDescriptor.HeaderSize + size;
        if (needed > _maxRecordBytes)
        {
            throw new ArgumentException(
                $"a record of {needed} bytes (batch header included) exceeds max.request.size ({_maxRecordBytes})", nameof(value));
        }
        byte[]? first = RentChunk(block);
        if (first is null)
        {
            return ProduceStatus.Full;
        }
        ProducerBatch batch;
        lock (_batchPool)
        {
            _batchPool.TryPop(out batch!);
        }
        batch ??= new ProducerBatch(_memory.MetaPool);
        Interlocked.Increment(ref _outstanding);
        long generation = batch.Open(partition, Stopwatch.GetTimestamp() + _deliveryTimeoutTicks);
        batch.AddChunk(first);
        for (int more = batch.ChunksNeeded(size); more > 0; more--)
        {
            // A record larger than a chunk: its further chunks are waited for too (or taken over the limit when
            // TryProduce must not wait: the record was accepted with its first chunk).
            batch.AddChunk(RentChunk(block) ?? _memory.TryRent(ignoreLimit: true)!);
        }
        batch.Append(size, bodySize, timestampMs, key, value, headers, handler, state, stateObject);
        ProducerBatch?[] open = lane.Open;
        lane.Generations[partition.Slot] = generation;
        open[partition.Slot] = batch;
        Release(batch, generation, open, partition.Slot);
        // A new batch is due linger.ms from now; the sender may be asleep until a later deadline it computed without
        // this batch (up to 100 ms when nothing was open), so wake it to take the new deadline into account. Once per
        // batch, not per record.
        _wakeSender();
        return ProduceStatus.Enqueued;
    }

    private byte[]? RentChunk(bool block)
    {
        if (Environment.CurrentManagedThreadId == SenderThreadId)
        {
            // A delivery callback producing: waiting here would wait for this very thread.
            return _memory.TryRent(ignoreLimit: true);
        }
        byte[]? chunk = _memory.TryRent();
        if (chunk is not null || !block)
        {
            if (chunk is null)
            {
                _wakeSender();
            }
            return chunk;
        }
        _wakeSender(); // with waiters present the sender seals open batches at once, which frees memory sooner
        chunk = _memory.Rent(_maxBlock);
        if (chunk is null)
        {
            throw new ProduceException(ErrorCode.RequestTimedOut,
                $"buffer.memory ({_memory.Limit} bytes) stayed full for max.block.ms ({(long)_maxBlock.TotalMilliseconds} ms)");
        }
        return chunk;
    }

    /// <summary>Adds <paramref name="count"/> chunks to a batch without waiting; false (none added) when memory is exhausted.</summary>
    private bool TryAddChunks(ProducerBatch batch, int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte[]? chunk = _memory.TryRent();
            if (chunk is null)
            {
                // Partial growth is kept: the chunks stay with the batch and are returned with it.
                return false;
            }
            batch.AddChunk(chunk);
        }
        return true;
    }

    /// <summary>Gives the batch back after a record: idle, or handed off when no further small record would fit.</summary>
    private void Release(ProducerBatch batch, long generation, ProducerBatch?[] open, int slot)
    {
        if (batch.Length + 64 > _batchLimit)
        {
            batch.CloseByOwner(generation);
            open[slot] = null;
            Handoff(batch);
            return;
        }
        if (batch.EndAppend(generation))
        {
            _wakeSender();
        }
    }

    private void Handoff(ProducerBatch batch)
    {
        PartitionState partition = batch.Partition;
        partition.Enqueue(batch);
        TopicState topic = partition.Topic;
        if (topic.StickyPartition == partition.Index)
        {
            topic.NextSticky(partition.Index);
        }
        _wakeSender();
    }

    private ProducerLane CreateLane()
    {
        var lane = new ProducerLane();
        lock (_lanesLock)
        {
            var lanes = new ProducerLane[_lanes.Length + 1];
            _lanes.CopyTo(lanes, 0);
            lanes[^1] = lane;
            // Release: the sender's next sweep sees the lane fully built.
            Volatile.Write(ref _lanes, lanes);
        }
        return lane;
    }
}
