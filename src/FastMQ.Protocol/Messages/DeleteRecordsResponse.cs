using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>DeleteRecords response (key 21), versions 0-2.</summary>
public sealed class DeleteRecordsResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 2;
    public const short FirstFlexibleVersion = 2;

    public int ThrottleTimeMs { get; set; }

    public List<Topic> Topics { get; } = [];

    public static DeleteRecordsResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("DeleteRecordsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new DeleteRecordsResponse { ThrottleTimeMs = reader.ReadInt32() };
        int topics = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            int partitions = reader.ReadArrayCount(flexible, 14);
            for (int p = 0; p < partitions; p++)
            {
                topic.Partitions.Add(new Partition
                {
                    PartitionIndex = reader.ReadInt32(),
                    LowWatermark = reader.ReadInt64(),
                    ErrorCode = (ErrorCode)reader.ReadInt16(),
                });
                if (flexible)
                {
                    reader.SkipTaggedFields();
                }
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
            response.Topics.Add(topic);
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("DeleteRecordsResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("DeleteRecordsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayCount(topic.Partitions.Count, flexible);
            foreach (Partition partition in topic.Partitions)
            {
                writer.WriteInt32(partition.PartitionIndex);
                writer.WriteInt64(partition.LowWatermark);
                writer.WriteInt16((short)partition.ErrorCode);
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
        public int PartitionIndex { get; set; }

        /// <summary>The new log start offset.</summary>
        public long LowWatermark { get; set; } = -1;

        public ErrorCode ErrorCode { get; set; }
    }
}
