using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>DeleteRecords request (key 21), versions 0-2: move each partition's log start offset forward.</summary>
public sealed class DeleteRecordsRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 2;
    public const short FirstFlexibleVersion = 2;

    /// <summary>Offset value meaning "up to the high watermark".</summary>
    public const long HighWatermarkOffset = -1;

    public List<Topic> Topics { get; } = [];

    public int TimeoutMs { get; set; } = 30000;

    public static DeleteRecordsRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("DeleteRecordsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new DeleteRecordsRequest();
        int topics = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            int partitions = reader.ReadArrayCount(flexible, 12);
            for (int p = 0; p < partitions; p++)
            {
                topic.Partitions.Add(new Partition { PartitionIndex = reader.ReadInt32(), Offset = reader.ReadInt64() });
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
        request.TimeoutMs = reader.ReadInt32();
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("DeleteRecordsRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("DeleteRecordsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayCount(topic.Partitions.Count, flexible);
            foreach (Partition partition in topic.Partitions)
            {
                writer.WriteInt32(partition.PartitionIndex);
                writer.WriteInt64(partition.Offset);
                writer.WriteEmptyTaggedFields(flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteInt32(TimeoutMs);
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Topic
    {
        public string Name { get; set; } = "";

        public List<Partition> Partitions { get; } = [];
    }

    public sealed class Partition
    {
        public int PartitionIndex { get; set; }

        /// <summary>Delete records before this offset; -1 = up to the high watermark.</summary>
        public long Offset { get; set; }
    }
}
