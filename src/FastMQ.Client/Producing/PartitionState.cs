using System.Threading;

namespace FastMQ.Client.Producing;

/// <summary>
/// One partition the producer writes to: where it is led, the queue of sealed-for-appending batches waiting to be
/// sent, and the sender's per-partition bookkeeping (sequence numbers, batches in flight, batches to resend).
/// </summary>
/// <remarks>
/// <para>Ready queue: producing threads append closed batches (a lock per batch, never per record); the sender
/// removes them. Everything under "sender-owned" is touched by the sender thread only.</para>
/// <para>Ordering: batches leave the ready queue in hand-off order and get their sequence numbers then; a batch that
/// must be resent goes to <see cref="RetryHead"/>, kept in that same order, which is drained before the ready queue and
/// only when nothing of the partition is in flight, so resends never overtake each other.</para>
/// </remarks>
internal sealed class PartitionState
{
    private readonly object _readyLock = new();
    private ProducerBatch? _readyHead;
    private ProducerBatch? _readyTail;
    private int _leaderId = -1;

    public PartitionState(TopicState topic, int index, int slot)
    {
        Topic = topic;
        Index = index;
        Slot = slot;
    }

    public TopicState Topic { get; }

    public int Index { get; }

    /// <summary>Producer-wide index of this partition in each lane's open-batch table.</summary>
    public int Slot { get; }

    /// <summary>Leader node id from the latest metadata; -1 while unknown.</summary>
    public int LeaderId
    {
        get => Volatile.Read(ref _leaderId);
        set => Volatile.Write(ref _leaderId, value);
    }

    // ---- sender-owned ----

    /// <summary>Sequence number the next new batch gets (idempotent producer).</summary>
    public int NextSequence { get; set; }

    /// <summary>Sequence number after the last acknowledged batch: a batch starting here cannot be out of order.</summary>
    public int AckedSequenceEnd { get; set; }

    /// <summary>Batches of this partition in requests not yet answered.</summary>
    public int InFlight { get; set; }

    /// <summary>Hand-off order of the next batch taken from the ready queue.</summary>
    public long NextDrainOrder { get; set; }

    /// <summary>Batches to resend, in drain order (a singly linked list through <see cref="ProducerBatch.Next"/>).</summary>
    public ProducerBatch? RetryHead { get; set; }

    /// <summary>Any thread: queues a batch that will take no more records.</summary>
    public void Enqueue(ProducerBatch batch)
    {
        batch.Next = null;
        lock (_readyLock)
        {
            if (_readyTail is null)
            {
                _readyHead = batch;
            }
            else
            {
                _readyTail.Next = batch;
            }
            _readyTail = batch;
        }
    }

    /// <summary>Sender: whether a batch is ready (a racy peek; <see cref="TryDequeue"/> decides).</summary>
    public bool HasReady => Volatile.Read(ref _readyHead) is not null;

    /// <summary>Sender: the oldest ready batch, if any.</summary>
    public ProducerBatch? TryDequeue()
    {
        if (Volatile.Read(ref _readyHead) is null)
        {
            return null;
        }
        lock (_readyLock)
        {
            ProducerBatch? head = _readyHead;
            if (head is not null)
            {
                _readyHead = head.Next;
                if (_readyHead is null)
                {
                    _readyTail = null;
                }
                head.Next = null;
            }
            return head;
        }
    }

    /// <summary>Sender: bytes of the oldest ready batch (0 when none).</summary>
    public int PeekReadyLength()
    {
        lock (_readyLock)
        {
            return _readyHead?.Length ?? 0;
        }
    }

    /// <summary>Sender: the oldest ready batch if its delivery deadline passed.</summary>
    public ProducerBatch? TryDequeueExpired(long nowTicks)
    {
        if (Volatile.Read(ref _readyHead) is null)
        {
            return null;
        }
        lock (_readyLock)
        {
            ProducerBatch? head = _readyHead;
            if (head is null || head.DeadlineTicks > nowTicks)
            {
                return null;
            }
            _readyHead = head.Next;
            if (_readyHead is null)
            {
                _readyTail = null;
            }
            head.Next = null;
            return head;
        }
    }

    /// <summary>Sender: puts <paramref name="batch"/> into the retry list at its drain-order position.</summary>
    public void InsertRetry(ProducerBatch batch)
    {
        if (RetryHead is null || RetryHead.DrainOrder > batch.DrainOrder)
        {
            batch.Next = RetryHead;
            RetryHead = batch;
            return;
        }
        ProducerBatch at = RetryHead;
        while (at.Next is not null && at.Next.DrainOrder < batch.DrainOrder)
        {
            at = at.Next;
        }
        batch.Next = at.Next;
        at.Next = batch;
    }
}
