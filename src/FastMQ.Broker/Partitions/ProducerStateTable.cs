using System.Collections.Generic;

namespace FastMQ.Broker.Partitions;

/// <summary>Outcome of checking an idempotent batch against a producer's state.</summary>
internal enum SequenceCheck
{
    /// <summary>Append it (new producer, next sequence, or not idempotent).</summary>
    Append,
    /// <summary>Already appended: answer with the original offsets and do not append again.</summary>
    Duplicate,
    OutOfOrder,
    InvalidEpoch,
}

/// <summary>
/// Idempotent-producer state of one partition (kafka-protocol.md §9): per producer id, the current epoch and the last
/// five batches (first/last sequence and their offsets), so retried batches are answered with their original offsets
/// and gaps are refused. Owner shard only; rebuilt from batch headers when the log opens.
/// </summary>
internal sealed class ProducerStateTable
{
    public const int RetainedBatches = 5;

    private readonly Dictionary<long, Entry> _producers = new();

    public int Count => _producers.Count;

    /// <summary>Checks a batch before appending. On <see cref="SequenceCheck.Duplicate"/>, <paramref name="baseOffset"/> is the original.</summary>
    public SequenceCheck Check(long producerId, short epoch, int baseSequence, int lastOffsetDelta, out long baseOffset)
    {
        baseOffset = -1;
        if (producerId < 0)
        {
            return SequenceCheck.Append;
        }
        if (baseSequence < 0)
        {
            return SequenceCheck.OutOfOrder;
        }
        if (!_producers.TryGetValue(producerId, out Entry? e))
        {
            return SequenceCheck.Append;
        }
        if (epoch < e.Epoch)
        {
            return SequenceCheck.InvalidEpoch;
        }
        if (epoch > e.Epoch)
        {
            return baseSequence == 0 ? SequenceCheck.Append : SequenceCheck.OutOfOrder;
        }
        int lastSequence = AddSequence(baseSequence, lastOffsetDelta);
        for (int i = 0; i < e.Count; i++)
        {
            ref BatchMeta b = ref e.Batches[(e.Next - 1 - i + RetainedBatches) % RetainedBatches];
            if (b.FirstSequence == baseSequence && b.LastSequence == lastSequence)
            {
                baseOffset = b.FirstOffset;
                return SequenceCheck.Duplicate;
            }
        }
        int expected = AddSequence(e.LastSequence, 1);
        return baseSequence == expected ? SequenceCheck.Append : SequenceCheck.OutOfOrder;
    }

    /// <summary>Records an appended (or recovered) batch.</summary>
    public void Record(long producerId, short epoch, int baseSequence, int lastOffsetDelta, long baseOffset)
    {
        if (producerId < 0 || baseSequence < 0)
        {
            return;
        }
        if (!_producers.TryGetValue(producerId, out Entry? e))
        {
            e = new Entry();
            _producers[producerId] = e;
        }
        if (epoch != e.Epoch)
        {
            e.Epoch = epoch;
            e.Count = 0;
        }
        int last = AddSequence(baseSequence, lastOffsetDelta);
        e.Batches[e.Next] = new BatchMeta { FirstSequence = baseSequence, LastSequence = last, FirstOffset = baseOffset };
        e.Next = (e.Next + 1) % RetainedBatches;
        e.Count = System.Math.Min(e.Count + 1, RetainedBatches);
        e.LastSequence = last;
    }

    // Sequences wrap from int.MaxValue to 0 (kafka-protocol.md §9).
    private static int AddSequence(int sequence, int delta) => (int)(((long)sequence + delta) % ((long)int.MaxValue + 1));

    private struct BatchMeta
    {
        public int FirstSequence;
        public int LastSequence;
        public long FirstOffset;
    }

    private sealed class Entry
    {
        public short Epoch = short.MinValue;
        public int LastSequence;
        public readonly BatchMeta[] Batches = new BatchMeta[RetainedBatches];
        public int Next;
        public int Count;
    }
}
