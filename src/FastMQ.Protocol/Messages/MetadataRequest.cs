using System;
using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>Metadata request (key 3), versions 0-12.</summary>
/// <remarks>
/// <see cref="Topics"/> null means "all topics". Version 0 has no null array and uses an empty one for "all", so a v0
/// empty list is read as null and a null list is written as empty at v0; from v1 an empty list means "brokers only".
/// </remarks>
public sealed class MetadataRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 12;
    public const short FirstFlexibleVersion = 9;

    public List<Topic>? Topics { get; set; }

    /// <summary>v4+; defaults to true (the v0-3 behaviour).</summary>
    public bool AllowAutoTopicCreation { get; set; } = true;

    /// <summary>v8-10.</summary>
    public bool IncludeClusterAuthorizedOperations { get; set; }

    /// <summary>v8+.</summary>
    public bool IncludeTopicAuthorizedOperations { get; set; }

    public static MetadataRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("MetadataRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new MetadataRequest();
        int start = reader.Position;
        int count = reader.ReadNullableArrayCount(flexible, 2);
        if (count < 0 && version < 1)
        {
            KafkaThrow.UnexpectedNull("topics array (v0)", start);
        }
        if (count > 0 || (count == 0 && version >= 1))
        {
            request.Topics = MessageIo.NewList<Topic>(count);
            for (int i = 0; i < count; i++)
            {
                var topic = new Topic();
                if (version >= 10)
                {
                    topic.TopicId = reader.ReadUuid();
                }
                topic.Name = version >= 10 ? reader.ReadNullableString(flexible) : reader.ReadString(flexible);
                if (flexible)
                {
                    reader.SkipTaggedFields();
                }
                request.Topics.Add(topic);
            }
        }
        if (version >= 4)
        {
            request.AllowAutoTopicCreation = reader.ReadBoolean();
        }
        if (version >= 8 && version <= 10)
        {
            request.IncludeClusterAuthorizedOperations = reader.ReadBoolean();
        }
        if (version >= 8)
        {
            request.IncludeTopicAuthorizedOperations = reader.ReadBoolean();
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("MetadataRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("MetadataRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (Topics is null)
        {
            writer.WriteArrayCount(version >= 1 ? -1 : 0, flexible);
        }
        else
        {
            if (version == 0 && Topics.Count == 0)
            {
                throw new ArgumentException("Metadata v0 cannot ask for no topics: an empty list means all topics.");
            }
            writer.WriteArrayCount(Topics.Count, flexible);
            foreach (Topic topic in Topics)
            {
                if (version >= 10)
                {
                    writer.WriteUuid(topic.TopicId);
                    writer.WriteNullableString(topic.Name, flexible);
                }
                else
                {
                    writer.WriteString(topic.Name ?? throw new ArgumentException("Topic name is required before v10."), flexible);
                }
                writer.WriteEmptyTaggedFields(flexible);
            }
        }
        if (version >= 4)
        {
            writer.WriteBoolean(AllowAutoTopicCreation);
        }
        if (version >= 8 && version <= 10)
        {
            writer.WriteBoolean(IncludeClusterAuthorizedOperations);
        }
        if (version >= 8)
        {
            writer.WriteBoolean(IncludeTopicAuthorizedOperations);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Topic
    {
        /// <summary>v10+; all zeros when asking by name.</summary>
        public Guid TopicId { get; set; }

        /// <summary>Null only from v10, when asking by id.</summary>
        public string? Name { get; set; }
    }
}
