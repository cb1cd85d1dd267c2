using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>ListOffsets request (key 2), versions 1-7.</summary>
/// <remarks>Timestamps: -1 latest, -2 earliest, -3 max timestamp (v7+), otherwise the first offset at or after it.</remarks>
public sealed class ListOffsetsRequest
{
    public const short MinVersion = 1;
    public const short MaxVersion = 7;
    public const short FirstFlexibleVersion = 6;

    public const long LatestTimestamp = -1;
    public const long EarliestTimestamp = -2;
    public const long MaxTimestamp = -3;

    /// <summary>-1 for consumers.</summary>
    public int ReplicaId { get; set; } = -1;

    /// <summary>v2+: 0 read_uncommitted, 1 read_committed.</summary>
    public sbyte IsolationLevel { get; set; }

    public List<Topic> Topics { get; } = [];

    public static ListOffsetsRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("ListOffsetsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new ListOffsetsRequest { ReplicaId = reader.ReadInt32() };
        if (version >= 2)
        {
            request.IsolationLevel = reader.ReadInt8();
        }
        int topics = reader.ReadArrayCount(flexible, flexible ? 2 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            int partitions = reader.ReadArrayCount(flexible, 12);
            for (int p = 0; p < partitions; p++)
            {
                var partition = new Partition { PartitionIndex = reader.ReadInt32() };
                if (version >= 4)
                {
                    partition.CurrentLeaderEpoch = reader.ReadInt32();
                }
                partition.Timestamp = reader.ReadInt64();
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
            request.Topics.Add(topic);
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("ListOffsetsRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("ListOffsetsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ReplicaId);
        if (version >= 2)
        {
            writer.WriteInt8(IsolationLevel);
        }
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayCount(topic.Partitions.Count, flexible);
            foreach (Partition partition in topic.Partitions)
            {
                writer.WriteInt32(partition.PartitionIndex);
                if (version >= 4)
                {
                    writer.WriteInt32(partition.CurrentLeaderEpoch);
                }
                writer.WriteInt64(partition.Timestamp);
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

        /// <summary>v4+.</summary>
        public int CurrentLeaderEpoch { get; set; } = -1;

        public long Timestamp { get; set; }
    }
}
