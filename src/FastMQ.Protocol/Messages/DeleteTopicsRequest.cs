using System;
using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>DeleteTopics request (key 20), versions 1-6: a list of names before v6, of (name, id) pairs from v6.</summary>
public sealed class DeleteTopicsRequest
{
    public const short MinVersion = 1;
    public const short MaxVersion = 6;
    public const short FirstFlexibleVersion = 4;

    public List<Topic> Topics { get; } = [];

    public int TimeoutMs { get; set; } = 30000;

    public static DeleteTopicsRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("DeleteTopicsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new DeleteTopicsRequest();
        if (version >= 6)
        {
            int topics = reader.ReadArrayCount(flexible, 18);
            for (int i = 0; i < topics; i++)
            {
                var topic = new Topic { Name = reader.ReadNullableString(flexible), TopicId = reader.ReadUuid() };
                reader.SkipTaggedFields();
                request.Topics.Add(topic);
            }
        }
        else
        {
            foreach (string name in MessageIo.ReadStringArray(ref reader, flexible))
            {
                request.Topics.Add(new Topic { Name = name });
            }
        }
        request.TimeoutMs = reader.ReadInt32();
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("DeleteTopicsRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("DeleteTopicsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            if (version >= 6)
            {
                writer.WriteNullableString(topic.Name, flexible);
                writer.WriteUuid(topic.TopicId);
                writer.WriteEmptyTaggedFields(flexible);
            }
            else
            {
                writer.WriteString(topic.Name ?? throw new ArgumentException("Topic name is required before v6."), flexible);
            }
        }
        writer.WriteInt32(TimeoutMs);
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Topic
    {
        /// <summary>Null only from v6, when deleting by id.</summary>
        public string? Name { get; set; }

        /// <summary>v6+.</summary>
        public Guid TopicId { get; set; }
    }
}
