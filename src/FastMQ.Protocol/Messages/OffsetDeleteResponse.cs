using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>OffsetDelete response (key 47), version 0: the error code comes before the throttle time here.</summary>
public sealed class OffsetDeleteResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 0;
    public const short FirstFlexibleVersion = ApiVersionRange.NeverFlexible;

    /// <summary>Group-level error (e.g. GROUP_ID_NOT_FOUND).</summary>
    public ErrorCode ErrorCode { get; set; }

    public int ThrottleTimeMs { get; set; }

    public List<Topic> Topics { get; } = [];

    public static OffsetDeleteResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("OffsetDeleteResponse", version, MinVersion, MaxVersion);
        var response = new OffsetDeleteResponse
        {
            ErrorCode = (ErrorCode)reader.ReadInt16(),
            ThrottleTimeMs = reader.ReadInt32(),
        };
        int topics = reader.ReadArrayCount(flexible: false, 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible: false) };
            int partitions = reader.ReadArrayCount(flexible: false, 6);
            for (int p = 0; p < partitions; p++)
            {
                topic.Partitions.Add(new Partition { PartitionIndex = reader.ReadInt32(), ErrorCode = (ErrorCode)reader.ReadInt16() });
            }
            response.Topics.Add(topic);
        }
        reader.EnsureEnd("OffsetDeleteResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("OffsetDeleteResponse", version, MinVersion, MaxVersion);
        writer.WriteInt16((short)ErrorCode);
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArrayCount(Topics.Count, flexible: false);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible: false);
            writer.WriteArrayCount(topic.Partitions.Count, flexible: false);
            foreach (Partition partition in topic.Partitions)
            {
                writer.WriteInt32(partition.PartitionIndex);
                writer.WriteInt16((short)partition.ErrorCode);
            }
        }
    }

    public sealed class Topic
    {
        public string Name { get; set; } = "";

        public List<Partition> Partitions { get; } = [];
    }

    public sealed class Partition
    {
        public int PartitionIndex { get; set; }

        /// <summary>E.g. GROUP_SUBSCRIBED_TO_TOPIC when a live member still consumes the topic.</summary>
        public ErrorCode ErrorCode { get; set; }
    }
}
