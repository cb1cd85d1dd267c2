using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>CreateTopics request (key 19), versions 2-7.</summary>
public sealed class CreateTopicsRequest
{
    public const short MinVersion = 2;
    public const short MaxVersion = 7;
    public const short FirstFlexibleVersion = 5;

    public List<Topic> Topics { get; } = [];

    public int TimeoutMs { get; set; } = 60000;

    /// <summary>Check only, create nothing.</summary>
    public bool ValidateOnly { get; set; }

    public static CreateTopicsRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("CreateTopicsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new CreateTopicsRequest();
        int topics = reader.ReadArrayCount(flexible, flexible ? 10 : 14);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic
            {
                Name = reader.ReadString(flexible),
                NumPartitions = reader.ReadInt32(),
                ReplicationFactor = reader.ReadInt16(),
            };
            int assignments = reader.ReadArrayCount(flexible, flexible ? 6 : 8);
            for (int i = 0; i < assignments; i++)
            {
                var assignment = new Assignment
                {
                    PartitionIndex = reader.ReadInt32(),
                    BrokerIds = MessageIo.ReadInt32Array(ref reader, flexible),
                };
                SkipTags(ref reader, flexible);
                topic.Assignments.Add(assignment);
            }
            int configs = reader.ReadArrayCount(flexible, flexible ? 3 : 4);
            for (int i = 0; i < configs; i++)
            {
                var config = new Config { Name = reader.ReadString(flexible), Value = reader.ReadNullableString(flexible) };
                SkipTags(ref reader, flexible);
                topic.Configs.Add(config);
            }
            SkipTags(ref reader, flexible);
            request.Topics.Add(topic);
        }
        request.TimeoutMs = reader.ReadInt32();
        request.ValidateOnly = reader.ReadBoolean();
        SkipTags(ref reader, flexible);
        reader.EnsureEnd("CreateTopicsRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("CreateTopicsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteInt32(topic.NumPartitions);
            writer.WriteInt16(topic.ReplicationFactor);
            writer.WriteArrayCount(topic.Assignments.Count, flexible);
            foreach (Assignment assignment in topic.Assignments)
            {
                writer.WriteInt32(assignment.PartitionIndex);
                MessageIo.WriteInt32Array(ref writer, assignment.BrokerIds, flexible);
                writer.WriteEmptyTaggedFields(flexible);
            }
            writer.WriteArrayCount(topic.Configs.Count, flexible);
            foreach (Config config in topic.Configs)
            {
                writer.WriteString(config.Name, flexible);
                writer.WriteNullableString(config.Value, flexible);
                writer.WriteEmptyTaggedFields(flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteInt32(TimeoutMs);
        writer.WriteBoolean(ValidateOnly);
        writer.WriteEmptyTaggedFields(flexible);
    }

    private static void SkipTags(ref KafkaReader reader, bool flexible)
    {
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
    }

    public sealed class Topic
    {
        public string Name { get; set; } = "";

        /// <summary>-1 = broker default (v4+) or manual assignment.</summary>
        public int NumPartitions { get; set; } = -1;

        /// <summary>-1 = broker default (v4+) or manual assignment.</summary>
        public short ReplicationFactor { get; set; } = -1;

        public List<Assignment> Assignments { get; } = [];

        public List<Config> Configs { get; } = [];
    }

    public sealed class Assignment
    {
        public int PartitionIndex { get; set; }

        public int[] BrokerIds { get; set; } = [];
    }

    public sealed class Config
    {
        public string Name { get; set; } = "";

        public string? Value { get; set; }
    }
}
