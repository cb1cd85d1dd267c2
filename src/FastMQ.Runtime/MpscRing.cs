using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using FastMQ.Core;
using FastMQ.Runtime.Internal;

namespace FastMQ.Runtime;

/// <summary>
/// A bounded many-producer, single-consumer ring of fixed-size struct messages (Vyukov's bounded queue with one
/// sequence number per slot). Used as each shard's mailbox; nothing is allocated after construction.
/// </summary>
/// <remarks>
/// <para>Threading: <see cref="TryEnqueue"/> may be called from any number of threads at once. <see cref="TryDequeue"/>
/// and <see cref="Drain{THandler}"/> must only be called by the single consumer (the owning shard).</para>
/// <para>Slot protocol. Slot <c>i</c> starts with sequence <c>i</c>. A producer owning position <c>p</c> (won by CAS on
/// the tail) waits for nothing: it claims only if the slot's sequence equals <c>p</c> (the slot is free), writes the
/// payload, then publishes with a release store of sequence <c>p + 1</c>. The consumer at head <c>h</c> takes the slot
/// only when its sequence is <c>h + 1</c>, copies the payload, and frees it with a release store of <c>h + capacity</c>,
/// which is the position the next producer to reach that slot will hold.</para>
/// <para>Full means "the slot at the tail has not been freed yet": <see cref="TryEnqueue"/> returns false and the
/// caller decides how to wait. A producer preempted between its CAS and its publish stalls the consumer at that slot
/// (later slots are not consumed out of order); the consumer simply finds "nothing yet" and comes back next turn.</para>
/// </remarks>
public sealed class MpscRing<T>
    where T : struct
{
    private readonly Slot[] _slots;
    private readonly long _mask;
    private PaddedHeadAndTail _headAndTail;

    /// <param name="capacity">Number of slots; rounded up to a power of two (2 to 2^30).</param>
    public MpscRing(int capacity)
    {
        if (capacity < 2 || capacity > 1 << 30)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(capacity), $"ring capacity must be between 2 and {1 << 30}, was {capacity}");
        }
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new Slot[size];
        for (int i = 0; i < size; i++)
        {
            _slots[i].Sequence = i;
        }
        _mask = size - 1;
    }

    /// <summary>Number of slots (a power of two).</summary>
    public int Capacity => _slots.Length;

    /// <summary>
    /// Messages enqueued and not yet dequeued. Exact when producers and the consumer are quiet; otherwise a
    /// snapshot that may be off by the operations in flight (never negative, never above <see cref="Capacity"/>).
    /// </summary>
    public int Count
    {
        get
        {
            // Acquire loads so a reader sees counters no older than the writes that preceded them on other threads.
            long head = Volatile.Read(ref _headAndTail.Head);
            long tail = Volatile.Read(ref _headAndTail.Tail);
            return (int)Math.Clamp(tail - head, 0, _slots.Length);
        }
    }

    /// <summary>
    /// True when the consumer's next slot holds no published message. Exact on the consumer thread; elsewhere a
    /// snapshot. The shard's parker calls this after announcing it is about to sleep (see <c>ShardParker</c>).
    /// </summary>
    public bool IsEmpty
    {
        get
        {
            long head = Volatile.Read(ref _headAndTail.Head);
            // Acquire: pairs with the producer's release of Sequence, so "published" is seen with its payload.
            return Volatile.Read(ref _slots[head & _mask].Sequence) != head + 1;
        }
    }

    /// <summary>Copies <paramref name="message"/> into the ring; false if the ring is full. Any thread.</summary>
    public bool TryEnqueue(in T message)
    {
        Slot[] slots = _slots;
        long pos = Volatile.Read(ref _headAndTail.Tail);
        while (true)
        {
            ref Slot slot = ref slots[pos & _mask];
            // Acquire: pairs with the consumer's release when it freed the slot, so our payload write below cannot be
            // overtaken by the consumer's earlier read of the previous payload.
            long seq = Volatile.Read(ref slot.Sequence);
            long dif = seq - pos;
            if (dif == 0)
            {
                // Full fence (Interlocked): exactly one producer wins position pos.
                long observed = Interlocked.CompareExchange(ref _headAndTail.Tail, pos + 1, pos);
                if (observed == pos)
                {
                    slot.Item = message;
                    // Release: the payload is visible before the consumer can observe the slot as published.
                    Volatile.Write(ref slot.Sequence, pos + 1);
                    return true;
                }
                pos = observed;
            }
            else if (dif < 0)
            {
                // The slot still holds the message from one lap ago: the ring is full.
                return false;
            }
            else
            {
                // Another producer claimed pos since we read the tail; catch up.
                pos = Volatile.Read(ref _headAndTail.Tail);
            }
        }
    }

    /// <summary>Takes the oldest published message; false if none is published yet. Consumer thread only.</summary>
    public bool TryDequeue(out T message)
    {
        long head = _headAndTail.Head;
        ref Slot slot = ref _slots[head & _mask];
        // Acquire: pairs with the producer's release store, so the payload read below is the published one.
        if (Volatile.Read(ref slot.Sequence) != head + 1)
        {
            message = default;
            return false;
        }
        message = slot.Item;
        Release(ref slot, head);
        return true;
    }

    /// <summary>
    /// Hands up to <paramref name="limit"/> published messages to <paramref name="handler"/> in order and returns how
    /// many. Each slot is freed before its handler runs, so a handler that throws loses only its own message and
    /// producers regain space as early as possible. Consumer thread only.
    /// </summary>
    public int Drain<THandler>(ref THandler handler, int limit)
        where THandler : struct, IMessageHandler<T>
    {
        Debug.Assert(limit > 0);
        Slot[] slots = _slots;
        int count = 0;
        while (count < limit)
        {
            long head = _headAndTail.Head;
            ref Slot slot = ref slots[head & _mask];
            // Acquire: see TryDequeue.
            if (Volatile.Read(ref slot.Sequence) != head + 1)
            {
                break;
            }
            T message = slot.Item;
            Release(ref slot, head);
            count++;
            handler.OnMessage(in message);
        }
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Release(ref Slot slot, long head)
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            // Do not keep a pooled work item reachable from a free slot.
            slot.Item = default;
        }
        // Release: our read of the payload (and the clear) happen before a producer can claim the slot again.
        Volatile.Write(ref slot.Sequence, head + _slots.Length);
        // Only the consumer writes Head; the release store lets Count/IsEmpty readers on other threads see it in order.
        Volatile.Write(ref _headAndTail.Head, head + 1);
    }

    private struct Slot
    {
        public long Sequence;
        public T Item;
    }
}
