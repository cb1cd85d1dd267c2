using FastMQ.Client.Wire;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Producing;

/// <summary>
/// Writes a Produce request (v3+) for the batches of one <see cref="ProduceInflight"/> straight into the connection's
/// send buffer: one batch per partition (Kafka requires that from v3), partitions grouped by topic.
/// </summary>
internal readonly struct ProduceRequestBody(ProduceInflight request, short acks, int timeoutMs) : IRequestBody
{
    public int MaxSize(short version)
    {
        long size = 2 + 2 + 4 + 5 + 1;
        for (int i = 0; i < request.Count; i++)
        {
            ProducerBatch batch = request.Batches[i];
            size += 4 + 5 + batch.Length + 1 + 5 + 5 + 1 + batch.Partition.Topic.NameUtf8.Length;
        }
        return (int)size;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        writer.WriteNullableString(null, flexible); // transactional id
        writer.WriteInt16(acks);
        writer.WriteInt32(timeoutMs);
        writer.WriteArrayCount(CountTopics(), flexible);
        int i = 0;
        while (i < request.Count)
        {
            TopicState topic = request.Batches[i].Partition.Topic;
            int end = i;
            while (end < request.Count && request.Batches[end].Partition.Topic == topic)
            {
                end++;
            }
            writer.WriteString(topic.NameUtf8, flexible);
            writer.WriteArrayCount(end - i, flexible);
            for (; i < end; i++)
            {
                ProducerBatch batch = request.Batches[i];
                writer.WriteInt32(batch.Partition.Index);
                writer.WriteBytesLength(batch.Length, flexible);
                for (int s = 0; s < batch.SegmentCount; s++)
                {
                    writer.WriteRaw(batch.Segment(s));
                }
                writer.WriteEmptyTaggedFields(flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    private int CountTopics()
    {
        int topics = 0;
        TopicState? last = null;
        for (int i = 0; i < request.Count; i++)
        {
            TopicState topic = request.Batches[i].Partition.Topic;
            if (topic != last)
            {
                topics++;
                last = topic;
            }
        }
        return topics;
    }
}
