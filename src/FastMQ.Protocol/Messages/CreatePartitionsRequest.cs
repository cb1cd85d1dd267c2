using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>CreatePartitions request (key 37), versions 0-3.</summary>
public sealed class CreatePartitionsRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 3;
    public const short FirstFlexibleVersion = 2;

    public List<Topic> Topics { get; } = [];

    public int TimeoutMs { get; set; } = 30000;

    public bool ValidateOnly { get; set; }

    public static CreatePartitionsRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("CreatePartitionsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new CreatePartitionsRequest();
        int topics = reader.ReadArrayCount(flexible, flexible ? 7 : 10);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible), Count = reader.ReadInt32() };
            int assignments = reader.ReadNullableArrayCount(flexible, flexible ? 2 : 4);
            if (assignments >= 0)
            {
                topic.Assignments = MessageIo.NewList<int[]>(assignments);
                for (int i = 0; i < assignments; i++)
                {
                    topic.Assignments.Add(MessageIo.ReadInt32Array(ref reader, flexible));
                    if (flexible)
                    {
                        reader.SkipTaggedFields();
                    }
                }
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
            request.Topics.Add(topic);
        }
        request.TimeoutMs = reader.ReadInt32();
        request.ValidateOnly = reader.ReadBoolean();
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("CreatePartitionsRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("CreatePartitionsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteInt32(topic.Count);
            if (topic.Assignments is null)
            {
                writer.WriteArrayCount(-1, flexible);
            }
            else
            {
                writer.WriteArrayCount(topic.Assignments.Count, flexible);
                foreach (int[] brokerIds in topic.Assignments)
                {
                    MessageIo.WriteInt32Array(ref writer, brokerIds, flexible);
                    writer.WriteEmptyTaggedFields(flexible);
                }
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteInt32(TimeoutMs);
        writer.WriteBoolean(ValidateOnly);
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Topic
    {
        public string Name { get; set; } = "";

        /// <summary>The new total partition count.</summary>
        public int Count { get; set; }

        /// <summary>Broker ids per new partition; null = automatic placement.</summary>
        public List<int[]>? Assignments { get; set; }
    }
}
