using System.Threading;

namespace FastMQ.Runtime.Tests.Litmus;

/// <summary>
/// Known-bad control (a real concurrency bug): the same slot protocol as <see cref="MpscRing{T}"/> but producers claim
/// the tail with a plain read and write instead of a CAS, so two producers can win the same slot (one message is
/// overwritten: loss) or move the tail backwards (producers then find no free slot: a stall). The window between
/// the read and the write is widened on purpose (see <see cref="TryEnqueue"/>).
/// </summary>
public sealed class BrokenClaimRing : ILitmusRing
{
    private readonly Slot[] _slots;
    private readonly long _mask;
    private long _head;
    private long _tail;

    public BrokenClaimRing(int capacity)
    {
        _slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _slots[i].Sequence = i;
        }
        _mask = capacity - 1;
    }

    public bool TryEnqueue(in LitmusMessage message)
    {
        long pos = Volatile.Read(ref _tail);
        ref Slot slot = ref _slots[pos & _mask];
        if (Volatile.Read(ref slot.Sequence) != pos)
        {
            return false;
        }
        // Stress: widen the race window so that any overlap or preemption of two producers hits it (litmus practice;
        // on a loaded two-core machine producers otherwise rarely run at the same instant).
        Thread.SpinWait(20);
        // The bug: not atomic with the read above.
        Volatile.Write(ref _tail, pos + 1);
        slot.Item = message;
        Volatile.Write(ref slot.Sequence, pos + 1);
        return true;
    }

    public bool TryDequeue(out LitmusMessage message)
    {
        ref Slot slot = ref _slots[_head & _mask];
        if (Volatile.Read(ref slot.Sequence) != _head + 1)
        {
            message = default;
            return false;
        }
        message = slot.Item;
        Volatile.Write(ref slot.Sequence, _head + _slots.Length);
        _head++;
        return true;
    }

    private struct Slot
    {
        public long Sequence;
        public LitmusMessage Item;
    }
}
