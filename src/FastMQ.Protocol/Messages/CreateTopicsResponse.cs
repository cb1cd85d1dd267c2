using System;
using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>CreateTopics response (key 19), versions 2-7.</summary>
public sealed class CreateTopicsResponse
{
    public const short MinVersion = 2;
    public const short MaxVersion = 7;
    public const short FirstFlexibleVersion = 5;

    public int ThrottleTimeMs { get; set; }

    public List<Topic> Topics { get; } = [];

    public static CreateTopicsResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("CreateTopicsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new CreateTopicsResponse { ThrottleTimeMs = reader.ReadInt32() };
        int topics = reader.ReadArrayCount(flexible, flexible ? 5 : 6);
        for (int t = 0; t < topics; t++)
        {
            response.Topics.Add(Topic.Read(ref reader, version, flexible));
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("CreateTopicsResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("CreateTopicsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            topic.Write(ref writer, version, flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Topic
    {
        public string Name { get; set; } = "";

        /// <summary>v7+.</summary>
        public Guid TopicId { get; set; }

        public ErrorCode ErrorCode { get; set; }

        public string? ErrorMessage { get; set; }

        /// <summary>v5+ tag 0; written only when not NONE.</summary>
        public ErrorCode TopicConfigErrorCode { get; set; }

        /// <summary>v5+.</summary>
        public int NumPartitions { get; set; } = -1;

        /// <summary>v5+.</summary>
        public short ReplicationFactor { get; set; } = -1;

        /// <summary>v5+; may be null.</summary>
        public List<Config>? Configs { get; set; }

        internal static Topic Read(ref KafkaReader reader, short version, bool flexible)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            if (version >= 7)
            {
                topic.TopicId = reader.ReadUuid();
            }
            topic.ErrorCode = (ErrorCode)reader.ReadInt16();
            topic.ErrorMessage = reader.ReadNullableString(flexible);
            if (version >= 5)
            {
                topic.NumPartitions = reader.ReadInt32();
                topic.ReplicationFactor = reader.ReadInt16();
                int configs = reader.ReadNullableArrayCount(flexible, 6);
                if (configs >= 0)
                {
                    topic.Configs = MessageIo.NewList<Config>(configs);
                    for (int i = 0; i < configs; i++)
                    {
                        var config = new Config
                        {
                            Name = reader.ReadString(flexible),
                            Value = reader.ReadNullableString(flexible),
                            ReadOnly = reader.ReadBoolean(),
                            ConfigSource = reader.ReadInt8(),
                            IsSensitive = reader.ReadBoolean(),
                        };
                        reader.SkipTaggedFields();
                        topic.Configs.Add(config);
                    }
                }
            }
            if (flexible)
            {
                int tags = reader.ReadTaggedFieldCount();
                for (int i = 0; i < tags; i++)
                {
                    var data = new KafkaReader(reader.ReadTaggedField(out uint tag));
                    if (tag == 0)
                    {
                        topic.TopicConfigErrorCode = (ErrorCode)data.ReadInt16();
                        data.EnsureEnd("CreateTopicsResponse TopicConfigErrorCode tag");
                    }
                }
            }
            return topic;
        }

        internal void Write(ref KafkaWriter writer, short version, bool flexible)
        {
            writer.WriteString(Name, flexible);
            if (version >= 7)
            {
                writer.WriteUuid(TopicId);
            }
            writer.WriteInt16((short)ErrorCode);
            writer.WriteNullableString(ErrorMessage, flexible);
            if (version >= 5)
            {
                writer.WriteInt32(NumPartitions);
                writer.WriteInt16(ReplicationFactor);
                if (Configs is null)
                {
                    writer.WriteArrayCount(-1, flexible);
                }
                else
                {
                    writer.WriteArrayCount(Configs.Count, flexible);
                    foreach (Config config in Configs)
                    {
                        writer.WriteString(config.Name, flexible);
                        writer.WriteNullableString(config.Value, flexible);
                        writer.WriteBoolean(config.ReadOnly);
                        writer.WriteInt8(config.ConfigSource);
                        writer.WriteBoolean(config.IsSensitive);
                        writer.WriteEmptyTaggedFields(flexible);
                    }
                }
            }
            if (!flexible)
            {
                return;
            }
            if (TopicConfigErrorCode != ErrorCode.None)
            {
                writer.WriteUnsignedVarint(1);
                writer.WriteUnsignedVarint(0);
                writer.WriteUnsignedVarint(2);
                writer.WriteInt16((short)TopicConfigErrorCode);
            }
            else
            {
                writer.WriteEmptyTaggedFields(flexible: true);
            }
        }
    }

    public sealed class Config
    {
        public string Name { get; set; } = "";

        public string? Value { get; set; }

        public bool ReadOnly { get; set; }

        /// <summary>-1 unknown, 1 topic, 4 broker static, 5 default, …</summary>
        public sbyte ConfigSource { get; set; } = -1;

        public bool IsSensitive { get; set; }
    }
}
