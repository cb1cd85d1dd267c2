using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>OffsetForLeaderEpoch request (key 23), versions 2-4.</summary>
public sealed class OffsetForLeaderEpochRequest
{
    public const short MinVersion = 2;
    public const short MaxVersion = 4;
    public const short FirstFlexibleVersion = 4;

    /// <summary>v3+; -2 ("debug consumer") when absent, -1 from consumers.</summary>
    public int ReplicaId { get; set; } = -2;

    public List<Topic> Topics { get; } = [];

    public static OffsetForLeaderEpochRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("OffsetForLeaderEpochRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new OffsetForLeaderEpochRequest();
        if (version >= 3)
        {
            request.ReplicaId = reader.ReadInt32();
        }
        int topics = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            int partitions = reader.ReadArrayCount(flexible, 12);
            for (int p = 0; p < partitions; p++)
            {
                topic.Partitions.Add(new Partition
                {
                    PartitionIndex = reader.ReadInt32(),
                    CurrentLeaderEpoch = reader.ReadInt32(),
                    LeaderEpoch = reader.ReadInt32(),
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
            request.Topics.Add(topic);
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("OffsetForLeaderEpochRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("OffsetForLeaderEpochRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 3)
        {
            writer.WriteInt32(ReplicaId);
        }
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayCount(topic.Partitions.Count, flexible);
            foreach (Partition partition in topic.Partitions)
            {
                writer.WriteInt32(partition.PartitionIndex);
                writer.WriteInt32(partition.CurrentLeaderEpoch);
                writer.WriteInt32(partition.LeaderEpoch);
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

        /// <summary>Fencing epoch; -1 = no check.</summary>
        public int CurrentLeaderEpoch { get; set; } = -1;

        /// <summary>The epoch whose end offset is wanted.</summary>
        public int LeaderEpoch { get; set; }
    }
}
