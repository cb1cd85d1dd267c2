using System;
using FastMQ.Client.Wire;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Consuming;

/// <summary>
/// A Fetch request (versions 4-12) written straight from a fetcher's request arrays: no session (id 0, epoch -1, a
/// full fetch each time), partitions grouped by topic in the order given (the fetcher keeps them sorted by topic).
/// </summary>
internal readonly struct FetchRequestBody : IRequestBody
{
    private readonly PartitionState[] _partitions;
    private readonly long[] _offsets;
    private readonly int _count;
    private readonly int _maxWaitMs;
    private readonly int _minBytes;
    private readonly int _maxBytes;
    private readonly int _partitionMaxBytes;
    private readonly sbyte _isolation;

    public FetchRequestBody(PartitionState[] partitions, long[] offsets, int count, int maxWaitMs, int minBytes,
        int maxBytes, int partitionMaxBytes, sbyte isolation)
    {
        _partitions = partitions;
        _offsets = offsets;
        _count = count;
        _maxWaitMs = maxWaitMs;
        _minBytes = minBytes;
        _maxBytes = maxBytes;
        _partitionMaxBytes = partitionMaxBytes;
        _isolation = isolation;
    }

    public int MaxSize(short version)
    {
        // Fixed fields, then per topic its name and two array counts, per partition at most 36 bytes and tags.
        int size = 64;
        for (int i = 0; i < _count; i++)
        {
            size += _partitions[i].TopicUtf8.Length + 16 + 40;
        }
        return size;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        writer.WriteInt32(-1); // replica id: a consumer
        writer.WriteInt32(_maxWaitMs);
        writer.WriteInt32(_minBytes);
        writer.WriteInt32(_maxBytes);
        writer.WriteInt8(_isolation);
        if (version >= 7)
        {
            writer.WriteInt32(0);  // session id: none
            writer.WriteInt32(-1); // session epoch: full fetch, no session created
        }
        writer.WriteArrayCount(CountTopics(), flexible);
        int i = 0;
        while (i < _count)
        {
            byte[] topic = _partitions[i].TopicUtf8;
            int end = i;
            while (SameTopic(end, topic))
            {
                end++;
            }
            writer.WriteString(topic, flexible);
            writer.WriteArrayCount(end - i, flexible);
            for (int p = i; p < end; p++)
            {
                writer.WriteInt32(_partitions[p].Id.Partition);
                if (version >= 9)
                {
                    writer.WriteInt32(-1); // current leader epoch: unknown, the broker skips the fencing check
                }
                writer.WriteInt64(_offsets[p]);
                if (version >= 12)
                {
                    writer.WriteInt32(-1); // last fetched epoch: followers only
                }
                if (version >= 5)
                {
                    writer.WriteInt64(-1); // log start offset: followers only
                }
                writer.WriteInt32(_partitionMaxBytes);
                writer.WriteEmptyTaggedFields(flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
            i = end;
        }
        if (version >= 7)
        {
            writer.WriteArrayCount(0, flexible); // forgotten topics
        }
        if (version >= 11)
        {
            writer.WriteString(""u8, flexible); // rack id
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    private bool SameTopic(int index, byte[] topic) =>
        index < _count && _partitions[index].TopicUtf8.AsSpan().SequenceEqual(topic);

    private int CountTopics()
    {
        int topics = 0;
        for (int i = 0; i < _count; i++)
        {
            if (i == 0 || !SameTopic(i, _partitions[i - 1].TopicUtf8))
            {
                topics++;
            }
        }
        return topics;
    }
}
