using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>OffsetDelete request (key 47), version 0 only (never flexible).</summary>
public sealed class OffsetDeleteRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 0;
    public const short FirstFlexibleVersion = ApiVersionRange.NeverFlexible;

    public string GroupId { get; set; } = "";

    public List<Topic> Topics { get; } = [];

    public static OffsetDeleteRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("OffsetDeleteRequest", version, MinVersion, MaxVersion);
        var request = new OffsetDeleteRequest { GroupId = reader.ReadString(flexible: false) };
        int topics = reader.ReadArrayCount(flexible: false, 6);
        for (int t = 0; t < topics; t++)
        {
            request.Topics.Add(new Topic
            {
                Name = reader.ReadString(flexible: false),
                PartitionIndexes = MessageIo.ReadInt32Array(ref reader, flexible: false),
            });
        }
        reader.EnsureEnd("OffsetDeleteRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("OffsetDeleteRequest", version, MinVersion, MaxVersion);
        writer.WriteString(GroupId, flexible: false);
        writer.WriteArrayCount(Topics.Count, flexible: false);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible: false);
            MessageIo.WriteInt32Array(ref writer, topic.PartitionIndexes, flexible: false);
        }
    }

    public sealed class Topic
    {
        public string Name { get; set; } = "";

        /// <summary>The schema's Partitions[].PartitionIndex (a struct of one field), flattened.</summary>
        public int[] PartitionIndexes { get; set; } = [];
    }
}
