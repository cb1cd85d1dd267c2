using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>ListOffsets response (key 2), versions 1-7.</summary>
public sealed class ListOffsetsResponse
{
    public const short MinVersion = 1;
    public const short MaxVersion = 7;
    public const short FirstFlexibleVersion = 6;

    /// <summary>v2+.</summary>
    public int ThrottleTimeMs { get; set; }

    public List<Topic> Topics { get; } = [];

    public static ListOffsetsResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("ListOffsetsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new ListOffsetsResponse();
        if (version >= 2)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        int topics = reader.ReadArrayCount(flexible, flexible ? 2 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            int partitions = reader.ReadArrayCount(flexible, 22);
            for (int p = 0; p < partitions; p++)
            {
                var partition = new Partition
                {
                    PartitionIndex = reader.ReadInt32(),
                    ErrorCode = (ErrorCode)reader.ReadInt16(),
                    Timestamp = reader.ReadInt64(),
                    Offset = reader.ReadInt64(),
                };
                if (version >= 4)
                {
                    partition.LeaderEpoch = reader.ReadInt32();
                }
                if (flexible)
                {
                    reader.SkipTaggedFields();
                }
                topic.Partitions.Add(partition);
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
        reader.EnsureEnd("ListOffsetsResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("ListOffsetsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 2)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayCount(topic.Partitions.Count, flexible);
            foreach (Partition partition in topic.Partitions)
            {
                writer.WriteInt32(partition.PartitionIndex);
                writer.WriteInt16((short)partition.ErrorCode);
                writer.WriteInt64(partition.Timestamp);
                writer.WriteInt64(partition.Offset);
                if (version >= 4)
                {
                    writer.WriteInt32(partition.LeaderEpoch);
                }
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

        public ErrorCode ErrorCode { get; set; }

        /// <summary>-1 when no offset matches.</summary>
        public long Timestamp { get; set; } = -1;

        /// <summary>-1 when no offset matches.</summary>
        public long Offset { get; set; } = -1;

        /// <summary>v4+.</summary>
        public int LeaderEpoch { get; set; } = -1;
    }
}
