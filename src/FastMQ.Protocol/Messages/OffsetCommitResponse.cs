using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>OffsetCommit response (key 8), versions 2-9: one error code per committed partition.</summary>
public sealed class OffsetCommitResponse
{
    public const short MinVersion = 2;
    public const short MaxVersion = 9;
    public const short FirstFlexibleVersion = 8;

    /// <summary>v3+.</summary>
    public int ThrottleTimeMs { get; set; }

    public List<Topic> Topics { get; } = [];

    public static OffsetCommitResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("OffsetCommitResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new OffsetCommitResponse();
        if (version >= 3)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        int topics = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            int partitions = reader.ReadArrayCount(flexible, flexible ? 7 : 6);
            for (int p = 0; p < partitions; p++)
            {
                var partition = new Partition
                {
                    PartitionIndex = reader.ReadInt32(),
                    ErrorCode = (ErrorCode)reader.ReadInt16(),
                };
                GroupMessageIo.SkipTags(ref reader, flexible);
                topic.Partitions.Add(partition);
            }
            GroupMessageIo.SkipTags(ref reader, flexible);
            response.Topics.Add(topic);
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("OffsetCommitResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("OffsetCommitResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 3)
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
    }
}
