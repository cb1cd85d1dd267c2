using System;
using System.Collections.Generic;

namespace FastMQ.Client.Producing;

/// <summary>
/// Fixed-size chunks of <see cref="RecordMeta"/> shared by all batches. Uniform chunks (rather than per-batch arrays
/// that grow) mean any batch reuses any chunk, so once the pool holds enough for the most records ever outstanding,
/// producing allocates nothing. A lock per chunk (one per <see cref="ChunkSize"/> records) guards the stack.
/// </summary>
internal sealed class RecordMetaPool
{
    public const int ChunkShift = 8;
    public const int ChunkSize = 1 << ChunkShift;

    private readonly Stack<RecordMeta[]> _free = new();

    public RecordMeta[] Rent()
    {
        lock (_free)
        {
            if (_free.TryPop(out RecordMeta[]? chunk))
            {
                return chunk;
            }
        }
        return new RecordMeta[ChunkSize];
    }

    /// <summary>Adds a new, empty chunk (see <see cref="BufferMemory.MetaPool"/>).</summary>
    public void Add(RecordMeta[] chunk)
    {
        lock (_free)
        {
            _free.Push(chunk);
        }
    }

    /// <summary>Returns a chunk after clearing its first <paramref name="used"/> entries (drops the caller's objects).</summary>
    public void Return(RecordMeta[] chunk, int used)
    {
        Array.Clear(chunk, 0, used);
        lock (_free)
        {
            _free.Push(chunk);
        }
    }
}
