using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// Produce request (key 0, versions 0-11) as plain objects, for clients, tools and tests. The broker reads requests
/// with the allocation-free <see cref="ProduceRequestReader"/> instead.
/// </summary>
public sealed class ProduceRequest
{
    public const short MinVersion = ProduceRequestReader.MinVersion;
    public const short MaxVersion = ProduceRequestReader.MaxVersion;
    public const short FirstFlexibleVersion = ProduceRequestReader.FirstFlexibleVersion;

    /// <summary>v3+.</summary>
    public string? TransactionalId { get; set; }

    public short Acks { get; set; } = -1;

    public int TimeoutMs { get; set; } = 30000;

    public List<Topic> Topics { get; } = [];

    public static ProduceRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("ProduceRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new ProduceRequest();
        if (version >= 3)
        {
            request.TransactionalId = reader.ReadNullableString(flexible);
        }
        request.Acks = reader.ReadInt16();
        request.TimeoutMs = reader.ReadInt32();
        int topics = reader.ReadArrayCount(flexible, flexible ? 2 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            int partitions = reader.ReadArrayCount(flexible, flexible ? 6 : 8);
            for (int p = 0; p < partitions; p++)
            {
                int index = reader.ReadInt32();
                byte[]? records = reader.ReadNullableBytes(flexible, out bool isNull).ToArray();
                topic.Partitions.Add(new Partition { Index = index, Records = isNull ? null : records });
                if (flexible)
                {
                    reader.SkipTaggedFields();
                }
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
            request.Topics.Add(topic);
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("ProduceRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("ProduceRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 3)
        {
            writer.WriteNullableString(TransactionalId, flexible);
        }
        writer.WriteInt16(Acks);
        writer.WriteInt32(TimeoutMs);
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayCount(topic.Partitions.Count, flexible);
            foreach (Partition partition in topic.Partitions)
            {
                writer.WriteInt32(partition.Index);
                writer.WriteNullableBytes(partition.Records, partition.Records is null, flexible);
                writer.WriteEmptyTaggedFields(flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Topic
    {
        public string Name { get; set; } = "";

        public List<Partition> Partitions { get; } = [];
    }

    public sealed class Partition
    {
        public int Index { get; set; }

        /// <summary>Record batches; null writes a null RECORDS field.</summary>
        public byte[]? Records { get; set; }
    }
}
