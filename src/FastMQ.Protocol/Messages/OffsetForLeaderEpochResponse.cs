using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>OffsetForLeaderEpoch response (key 23), versions 2-4.</summary>
public sealed class OffsetForLeaderEpochResponse
{
    public const short MinVersion = 2;
    public const short MaxVersion = 4;
    public const short FirstFlexibleVersion = 4;

    public int ThrottleTimeMs { get; set; }

    public List<Topic> Topics { get; } = [];

    public static OffsetForLeaderEpochResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("OffsetForLeaderEpochResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new OffsetForLeaderEpochResponse { ThrottleTimeMs = reader.ReadInt32() };
        int topics = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            int partitions = reader.ReadArrayCount(flexible, 18);
            for (int p = 0; p < partitions; p++)
            {
                topic.Partitions.Add(new Partition
                {
                    ErrorCode = (ErrorCode)reader.ReadInt16(),
                    PartitionIndex = reader.ReadInt32(),
                    LeaderEpoch = reader.ReadInt32(),
                    EndOffset = reader.ReadInt64(),
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
        reader.EnsureEnd("OffsetForLeaderEpochResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("OffsetForLeaderEpochResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayCount(topic.Partitions.Count, flexible);
            foreach (Partition partition in topic.Partitions)
            {
                writer.WriteInt16((short)partition.ErrorCode);
                writer.WriteInt32(partition.PartitionIndex);
                writer.WriteInt32(partition.LeaderEpoch);
                writer.WriteInt64(partition.EndOffset);
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
        public ErrorCode ErrorCode { get; set; }

        public int PartitionIndex { get; set; }

        public int LeaderEpoch { get; set; } = -1;

        public long EndOffset { get; set; } = -1;
    }
}
