using System;

namespace FastMQ.Client.Producing;

/// <summary>
/// One Produce request: the batches it carries (at most one per partition, grouped by topic) and, once answered, the
/// connection failure if there was one (per-batch results are stored on the batches). Reused; owned by the sender
/// except while the receive thread records the response into it.
/// </summary>
internal sealed class ProduceInflight
{
    public ProduceInflight(int id)
    {
        Id = id;
    }

    /// <summary>Index in the sender's table; passed as the request's state so the response finds this object.</summary>
    public int Id { get; }

    public ProducerBatch[] Batches = new ProducerBatch[16];
    public int Count;
    public long Bytes;
    public Exception? Failure;
    public ProduceInflight? NextDone;
    public NodeLink? Node;

    public void Add(ProducerBatch batch)
    {
        if (Count == Batches.Length)
        {
            Array.Resize(ref Batches, Count * 2);
        }
        Batches[Count++] = batch;
        Bytes += batch.Length + 16;
    }

    public void Clear()
    {
        Array.Clear(Batches, 0, Count);
        Count = 0;
        Bytes = 0;
        Failure = null;
        NextDone = null;
        Node = null;
    }
}
