using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using FastMQ.Protocol.Records;

namespace FastMQ.Client.Producing;

/// <summary>
/// One RecordBatch v2 being filled for one partition: records are encoded straight into pooled 16 KiB chunks (see
/// <see cref="BufferMemory"/>) after a reserved 61-byte header, which the sender fills (producer id, sequence, CRC) when it first sends the batch.
/// </summary>
/// <remarks>
/// <para>Ownership is a state word, <c>(generation &lt;&lt; 2) | state</c>, changed only by compare-and-swap:
/// <c>Idle</c> (open, nobody appending), <c>Appending</c> (the producing thread that opened it is writing), <c>Closed</c>
/// (takes no more records; belongs to the queues and the sender). The producing thread moves Idle→Appending→Idle around
/// each record; the sender's linger sweep moves Idle→Closed. Whoever wins a CAS owns the batch, so neither side takes
/// a lock per record. A sweep that finds the batch Appending cannot judge it, so it moves Appending→<c>SweepWanted</c>
/// and the producing thread, on giving the batch back, sees that and wakes the sender (otherwise a batch that was
/// being written to during the sweep would wait for the sender's next unrelated wake-up: up to 100 ms). The generation grows each time the object is reused, so a producing thread that still holds a
/// stale reference can never append to the batch's next life.</para>
/// <para>Memory ordering: the record bytes and counters are written before the Volatile/Interlocked write that
/// returns the state to Idle or Closed, and read after the CAS that takes it, so the new owner sees them.</para>
/// </remarks>
internal sealed class ProducerBatch
{
    public const int Idle = 0;
    public const int Appending = 1;
    public const int Closed = 2;
    public const int SweepWanted = 3;

    private long _word = Closed;

    private byte[][] _chunks = new byte[8][];
    private int _chunkCount;

    /// <summary>Bytes of the batch so far, header included.</summary>
    public int Length;
    public int Count;
    public long BaseTimestamp;
    public long MaxTimestamp;
    public long CreatedTicks;
    public PartitionState Partition = null!;
    private readonly RecordMetaPool _metaPool;
    private RecordMeta[][] _meta = new RecordMeta[4][];
    private int _metaChunks;

    // ---- sender-owned ----
    public ProducerBatch? Next;
    public long DrainOrder;
    public bool Sealed;
    public int BaseSequence = -1;
    public int Attempts;
    public long DeadlineTicks;
    public long RetryNotBeforeTicks;
    public ErrorCode ResultError;
    public long ResultOffset;
    public string? ResultMessage;
    public bool HasResult;

    /// <summary>
    /// A send of this batch ended without an answer that rules out its append (connection lost, timeout, no result
    /// for the partition), and no later answer has ruled it out since: the broker may hold it under its current
    /// sequence number, so it must not be given a new one.
    /// </summary>
    public bool OutcomeUnknown;

    public ProducerBatch(RecordMetaPool metaPool)
    {
        _metaPool = metaPool;
    }

    public long Generation => Volatile.Read(ref _word) >> 2;

    public int State => (int)(Volatile.Read(ref _word) & 3);

    /// <summary>Starts a new life for <paramref name="partition"/> in state Appending; returns its generation.</summary>
    public long Open(PartitionState partition, long deadlineTicks)
    {
        long generation = (_word >> 2) + 1;
        Partition = partition;
        Length = RecordBatchDescriptor.HeaderSize;
        Count = 0;
        CreatedTicks = Stopwatch.GetTimestamp();
        DeadlineTicks = deadlineTicks;
        Next = null;
        Sealed = false;
        BaseSequence = -1;
        Attempts = 0;
        RetryNotBeforeTicks = 0;
        HasResult = false;
        OutcomeUnknown = false;
        ResultMessage = null;
        // Published to other threads only through the lane slot and the later EndAppend (a release write).
        _word = (generation << 2) | Appending;
        return generation;
    }

    /// <summary>Producing thread: takes the batch for one record, if it is still open in <paramref name="generation"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryBeginAppend(long generation) =>
        Interlocked.CompareExchange(ref _word, (generation << 2) | Appending, generation << 2) == generation << 2;

    /// <summary>
    /// Producing thread: gives the batch back (Idle); the exchange publishes the record just written. True when a sweep
    /// ran meanwhile and asked to be woken (<see cref="TryRequestSweep"/>): the caller must wake the sender.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool EndAppend(long generation) => (Interlocked.Exchange(ref _word, generation << 2) & 3) == SweepWanted;

    /// <summary>
    /// Sender: the batch is being appended to, so the sweep cannot close it or learn its deadline; asks the producing
    /// thread to wake the sender when it gives the batch back. False when the batch is no longer Appending.
    /// </summary>
    public bool TryRequestSweep()
    {
        long word = Volatile.Read(ref _word);
        return (word & 3) == Appending && Interlocked.CompareExchange(ref _word, word | SweepWanted, word) == word;
    }

    /// <summary>Producing thread, while Appending: closes the batch itself (full, or no memory to grow).</summary>
    public void CloseByOwner(long generation) => Volatile.Write(ref _word, (generation << 2) | Closed);

    /// <summary>Sender: closes an Idle batch (linger expired, flush); false when it is being appended to or already closed.</summary>
    public bool TryCloseIdle()
    {
        long word = Volatile.Read(ref _word);
        return (word & 3) == Idle && Interlocked.CompareExchange(ref _word, word | Closed, word) == word;
    }

    /// <summary>Sender: marks a recycled batch closed so that stale lane references never reopen it.</summary>
    public void Retire() => Volatile.Write(ref _word, (Volatile.Read(ref _word) & ~3L) | Closed);

    /// <summary>Bytes the next record takes in this batch (length prefix included); <paramref name="bodySize"/> excludes the prefix.</summary>
    public int RecordSize(long timestampMs, RecordBytes key, RecordBytes value, ReadOnlySpan<ProduceHeader> headers,
        out int bodySize) =>
        RecordSize(Count, Count == 0 ? timestampMs : BaseTimestamp, timestampMs, key, value, headers, out bodySize);

    /// <summary>Bytes a record takes as record number <paramref name="count"/> of a batch whose base timestamp is given.</summary>
    public static int RecordSize(int count, long baseTimestampMs, long timestampMs, RecordBytes key, RecordBytes value,
        ReadOnlySpan<ProduceHeader> headers, out int bodySize)
    {
        long delta = timestampMs - baseTimestampMs;
        int body = 1 + Varint.SizeOfSigned64(delta) + Varint.SizeOfSigned(count)
            + Varint.SizeOfSigned(key.WireLength) + key.Span.Length
            + Varint.SizeOfSigned(value.WireLength) + value.Span.Length
            + Varint.SizeOfSigned(headers.Length);
        foreach (ref readonly ProduceHeader h in headers)
        {
            int keyBytes = Encoding.UTF8.GetByteCount(h.Key);
            body += Varint.SizeOfSigned(keyBytes) + keyBytes
                + Varint.SizeOfSigned(h.IsValueNull ? -1 : h.Value.Length) + h.Value.Length;
        }
        bodySize = body;
        return Varint.SizeOfSigned(body) + body;
    }

    /// <summary>Chunks this batch needs for <paramref name="size"/> more bytes.</summary>
    public int ChunksNeeded(int size) =>
        (int)(((long)Length + size + BufferMemory.ChunkBytes - 1) >> BufferMemory.ChunkShift) - _chunkCount;

    /// <summary>Producing thread, while Appending (or the sender while sealing): adds a chunk.</summary>
    public void AddChunk(byte[] chunk)
    {
        if (_chunkCount == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunkCount * 2);
        }
        _chunks[_chunkCount++] = chunk;
    }

    /// <summary>Producing thread, while Appending: writes one record (the caller added the chunks it needs).</summary>
    public void Append(int size, int bodySize, long timestampMs, RecordBytes key, RecordBytes value, ReadOnlySpan<ProduceHeader> headers,
        IDeliveryHandler? handler, long state, object? stateObject)
    {
        Debug.Assert(ChunksNeeded(size) <= 0);
        if (Count == 0)
        {
            BaseTimestamp = timestampMs;
            MaxTimestamp = timestampMs;
        }
        else if (timestampMs > MaxTimestamp)
        {
            MaxTimestamp = timestampMs;
        }
        int start = Length;
        // The fixed-size fields go through a small stack buffer, then into the chunks with the payloads.
        Span<byte> scratch = stackalloc byte[40];
        int p = Varint.WriteSigned(scratch, bodySize);
        scratch[p++] = 0; // record attributes: unused
        p += Varint.WriteSigned64(scratch[p..], timestampMs - BaseTimestamp);
        p += Varint.WriteSigned(scratch[p..], Count);
        p += Varint.WriteSigned(scratch[p..], key.WireLength);
        Write(scratch[..p]);
        Write(key.Span);
        p = Varint.WriteSigned(scratch, value.WireLength);
        Write(scratch[..p]);
        Write(value.Span);
        p = Varint.WriteSigned(scratch, headers.Length);
        Write(scratch[..p]);
        foreach (ref readonly ProduceHeader h in headers)
        {
            WriteHeader(h, scratch);
        }
        Debug.Assert(Length - start == size, "record size computed and written differ");
        int chunk = Count >> RecordMetaPool.ChunkShift;
        if (chunk == _metaChunks)
        {
            if (chunk == _meta.Length)
            {
                Array.Resize(ref _meta, chunk * 2);
            }
            _meta[chunk] = _metaPool.Rent();
            _metaChunks++;
        }
        ref RecordMeta meta = ref _meta[chunk][Count & (RecordMetaPool.ChunkSize - 1)];
        meta.Handler = handler;
        meta.State = state;
        meta.StateObject = stateObject;
        meta.TimestampMs = timestampMs;
        Count++;
    }

    /// <summary>Number of chunks holding the batch's bytes.</summary>
    public int SegmentCount => (int)(((long)Length + BufferMemory.ChunkBytes - 1) >> BufferMemory.ChunkShift);

    /// <summary>The batch's bytes in chunk <paramref name="index"/>; concatenated in order they are the batch.</summary>
    public ReadOnlySpan<byte> Segment(int index)
    {
        int offset = index << BufferMemory.ChunkShift;
        return _chunks[index].AsSpan(0, Math.Min(BufferMemory.ChunkBytes, Length - offset));
    }

    /// <summary>Sender, after the last report: hands every chunk back.</summary>
    public void ReturnChunks(BufferMemory memory)
    {
        for (int i = 0; i < _chunkCount; i++)
        {
            memory.Return(_chunks[i], signal: false);
            _chunks[i] = null!;
        }
        _chunkCount = 0;
        Length = 0;
        memory.SignalWaiters();
    }

    /// <summary>
    /// Sender, once per batch: compresses the records if asked and fills the header (producer id, epoch, sequence,
    /// counts, timestamps, CRC-32C). The batch is then its <see cref="Segment"/>s in order, resent byte for byte on retries
    /// (only an epoch bump changes its producer fields, through <see cref="Restamp"/>).
    /// </summary>
    public void Seal(long producerId, short producerEpoch, int baseSequence, CompressionCodec codec,
        RecordCompressor compressor, ArrayBufferWriter<byte> scratch, ArrayBufferWriter<byte> compressed, BufferMemory memory)
    {
        Debug.Assert(!Sealed && Count > 0);
        if (codec != CompressionCodec.None)
        {
            // Codecs take one span: gather the records, compress, and write the result back over them.
            scratch.ResetWrittenCount();
            for (int i = 0; i < SegmentCount; i++)
            {
                ReadOnlySpan<byte> segment = Segment(i);
                scratch.Write(i == 0 ? segment[RecordBatchDescriptor.HeaderSize..] : segment);
            }
            compressed.ResetWrittenCount();
            compressor.Compress(codec, scratch.WrittenSpan, compressed);
            int chunksAfter = (int)(((long)RecordBatchDescriptor.HeaderSize + compressed.WrittenCount + BufferMemory.ChunkBytes - 1)
                >> BufferMemory.ChunkShift);
            while (_chunkCount < chunksAfter)
            {
                // Incompressible data grew: rare, so over the limit rather than waiting on the sender thread.
                AddChunk(memory.TryRent(ignoreLimit: true)!);
            }
            while (_chunkCount > chunksAfter)
            {
                memory.Return(_chunks[--_chunkCount]);
                _chunks[_chunkCount] = null!;
            }
            Length = RecordBatchDescriptor.HeaderSize;
            Write(compressed.WrittenSpan);
        }
        Span<byte> h = _chunks[0].AsSpan(0, RecordBatchDescriptor.HeaderSize);
        BinaryPrimitives.WriteInt64BigEndian(h[RecordBatchDescriptor.BaseOffsetOffset..], 0);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.BatchLengthOffset..], Length - RecordBatchDescriptor.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.PartitionLeaderEpochOffset..], 0);
        h[RecordBatchDescriptor.MagicOffset] = RecordBatchDescriptor.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(h[RecordBatchDescriptor.AttributesOffset..], (short)codec);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.LastOffsetDeltaOffset..], Count - 1);
        BinaryPrimitives.WriteInt64BigEndian(h[RecordBatchDescriptor.BaseTimestampOffset..], BaseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(h[RecordBatchDescriptor.MaxTimestampOffset..], MaxTimestamp);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.RecordsCountOffset..], Count);
        Sealed = true;
        Restamp(producerId, producerEpoch, baseSequence);
    }

    /// <summary>
    /// Sender, on a sealed batch: writes the producer id, epoch and base sequence into the header and recomputes the
    /// CRC. Used by <see cref="Seal"/> and, after an epoch bump, to re-sequence a batch the broker never appended.
    /// </summary>
    public void Restamp(long producerId, short producerEpoch, int baseSequence)
    {
        Debug.Assert(Sealed);
        BaseSequence = baseSequence;
        Span<byte> h = _chunks[0].AsSpan(0, RecordBatchDescriptor.HeaderSize);
        BinaryPrimitives.WriteInt64BigEndian(h[RecordBatchDescriptor.ProducerIdOffset..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(h[RecordBatchDescriptor.ProducerEpochOffset..], producerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(h[RecordBatchDescriptor.BaseSequenceOffset..], baseSequence);
        // The CRC covers attributes through the end of the batch, across the chunks.
        uint crc = 0xFFFFFFFFu;
        for (int i = 0; i < SegmentCount; i++)
        {
            ReadOnlySpan<byte> segment = Segment(i);
            crc = Crc32C.Append(crc, i == 0 ? segment[RecordBatchDescriptor.AttributesOffset..] : segment);
        }
        BinaryPrimitives.WriteUInt32BigEndian(h[RecordBatchDescriptor.CrcOffset..], ~crc);
    }

    /// <summary>The delivery data of record <paramref name="index"/>.</summary>
    public ref readonly RecordMeta Meta(int index) =>
        ref _meta[index >> RecordMetaPool.ChunkShift][index & (RecordMetaPool.ChunkSize - 1)];

    /// <summary>Sender, after the last report: returns the per-record chunks (dropping the caller's objects).</summary>
    public void ClearRecords()
    {
        for (int i = 0; i < _metaChunks; i++)
        {
            int used = Math.Min(RecordMetaPool.ChunkSize, Count - (i << RecordMetaPool.ChunkShift));
            _metaPool.Return(_meta[i], Math.Max(used, 0));
            _meta[i] = null!;
        }
        _metaChunks = 0;
    }

    /// <summary>Appends bytes across chunk boundaries.</summary>
    private void Write(ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            int offset = Length & (BufferMemory.ChunkBytes - 1);
            Span<byte> room = _chunks[Length >> BufferMemory.ChunkShift].AsSpan(offset);
            int n = Math.Min(room.Length, source.Length);
            source[..n].CopyTo(room);
            Length += n;
            source = source[n..];
        }
    }

    private void WriteHeader(in ProduceHeader header, Span<byte> scratch)
    {
        int keyBytes = Encoding.UTF8.GetByteCount(header.Key);
        int p = Varint.WriteSigned(scratch, keyBytes);
        Write(scratch[..p]);
        if (keyBytes <= 256)
        {
            Span<byte> key = stackalloc byte[256];
            Write(key[..Encoding.UTF8.GetBytes(header.Key, key)]);
        }
        else
        {
            byte[] rented = ArrayPool<byte>.Shared.Rent(keyBytes);
            Write(rented.AsSpan(0, Encoding.UTF8.GetBytes(header.Key, rented)));
            ArrayPool<byte>.Shared.Return(rented);
        }
        p = Varint.WriteSigned(scratch, header.IsValueNull ? -1 : header.Value.Length);
        Write(scratch[..p]);
        Write(header.Value.Span);
    }
}
