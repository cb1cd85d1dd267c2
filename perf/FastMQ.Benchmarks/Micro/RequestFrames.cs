using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Benchmarks.Micro;

/// <summary>
/// Builds request frames (the bytes after the 4-byte size prefix: header, then body) the way a Kafka client sends
/// them, for the parsing and fetch-assembly benchmarks. Setup-time only: allocates freely.
/// </summary>
public static class RequestFrames
{
    public const string TopicName = "bench-topic";
    public const string ClientId = "bench-client";

    /// <summary>A Produce request of one topic with <paramref name="partitions"/> partitions, each carrying <paramref name="batch"/>.</summary>
    public static byte[] Produce(short version, int partitions, byte[] batch)
    {
        var request = new ProduceRequest { Acks = 1, TimeoutMs = 30_000 };
        var topic = new ProduceRequest.Topic { Name = TopicName };
        for (int p = 0; p < partitions; p++)
        {
            topic.Partitions.Add(new ProduceRequest.Partition { Index = p, Records = batch });
        }
        request.Topics.Add(topic);
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        return Frame(ApiKey.Produce, version, flexible, (ref KafkaWriter w) => request.Write(ref w, version));
    }

    /// <summary>A consumer's Fetch request of one topic with <paramref name="partitions"/> partitions.</summary>
    public static byte[] Fetch(short version, int partitions, int partitionMaxBytes)
    {
        var request = new FetchRequest { MaxWaitMs = 500, MinBytes = 1, MaxBytes = 64 << 20 };
        var topic = new FetchRequest.Topic { Name = TopicName };
        for (int p = 0; p < partitions; p++)
        {
            topic.Partitions.Add(new FetchRequest.Partition { PartitionIndex = p, FetchOffset = 1000 * p, PartitionMaxBytes = partitionMaxBytes });
        }
        request.Topics.Add(topic);
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        return Frame(ApiKey.Fetch, version, flexible, (ref KafkaWriter w) => request.Write(ref w, version));
    }

    private delegate void BodyWriter(ref KafkaWriter writer);

    private static byte[] Frame(ApiKey key, short version, bool flexible, BodyWriter body)
    {
        byte[] buffer = new byte[16 << 20];
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16((short)key);
        writer.WriteInt16(version);
        writer.WriteInt32(12345);
        // Request header v1 keeps an INT16-length client id; v2 (flexible versions) adds a tagged-field section.
        writer.WriteNullableString(ClientId, flexible: false);
        writer.WriteEmptyTaggedFields(flexible);
        body(ref writer);
        return writer.Written.ToArray();
    }
}
