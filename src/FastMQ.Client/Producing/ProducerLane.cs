using System;
using System.Threading;

namespace FastMQ.Client.Producing;

/// <summary>
/// One producing thread's open batches, one slot per partition (indexed by <see cref="PartitionState.Slot"/>).
/// Written only by its thread; the sender reads the slots to seal batches whose linger time is up.
/// </summary>
/// <remarks>
/// Each thread filling its own batches is what lets Produce take no lock: two threads writing to one partition
/// simply fill two batches. <see cref="Generations"/> holds the generation each slot's batch had when this thread
/// opened it, so a batch the sender closed and recycled meanwhile is recognised as gone.
/// </remarks>
internal sealed class ProducerLane
{
    private ProducerBatch?[] _open = new ProducerBatch?[64];

    public long[] Generations = new long[64];

    /// <summary>The slots; replaced (never shrunk) when a partition with a higher slot appears.</summary>
    public ProducerBatch?[] Open => Volatile.Read(ref _open);

    public void EnsureSlot(int slot)
    {
        if (slot < Generations.Length)
        {
            return;
        }
        int size = Math.Max(slot + 1, Generations.Length * 2);
        var open = new ProducerBatch?[size];
        Array.Copy(_open, open, _open.Length);
        Array.Resize(ref Generations, size);
        // Release: the sender may read the new array at once; the batches in it were published before.
        Volatile.Write(ref _open, open);
    }
}
