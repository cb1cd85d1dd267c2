using System;
using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>Metadata response (key 3), versions 0-12.</summary>
/// <remarks>Fields absent from a version are skipped on write and keep their defaults on read.</remarks>
public sealed class MetadataResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 12;
    public const short FirstFlexibleVersion = 9;

    /// <summary>"Not computed" marker for authorized-operations bit fields.</summary>
    public const int AuthorizedOperationsOmitted = int.MinValue;

    /// <summary>v3+.</summary>
    public int ThrottleTimeMs { get; set; }

    public List<Broker> Brokers { get; } = [];

    /// <summary>v2+.</summary>
    public string? ClusterId { get; set; }

    /// <summary>v1+.</summary>
    public int ControllerId { get; set; } = -1;

    public List<Topic> Topics { get; } = [];

    /// <summary>v8-10.</summary>
    public int ClusterAuthorizedOperations { get; set; } = AuthorizedOperationsOmitted;

    public static MetadataResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("MetadataResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new MetadataResponse();
        if (version >= 3)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        int brokers = reader.ReadArrayCount(flexible, 10);
        for (int i = 0; i < brokers; i++)
        {
            response.Brokers.Add(Broker.Read(ref reader, version, flexible));
        }
        if (version >= 2)
        {
            response.ClusterId = reader.ReadNullableString(flexible);
        }
        if (version >= 1)
        {
            response.ControllerId = reader.ReadInt32();
        }
        int topics = reader.ReadArrayCount(flexible, 6);
        for (int i = 0; i < topics; i++)
        {
            response.Topics.Add(Topic.Read(ref reader, version, flexible));
        }
        if (version >= 8 && version <= 10)
        {
            response.ClusterAuthorizedOperations = reader.ReadInt32();
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("MetadataResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("MetadataResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 3)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }
        writer.WriteArrayCount(Brokers.Count, flexible);
        foreach (Broker broker in Brokers)
        {
            broker.Write(ref writer, version, flexible);
        }
        if (version >= 2)
        {
            writer.WriteNullableString(ClusterId, flexible);
        }
        if (version >= 1)
        {
            writer.WriteInt32(ControllerId);
        }
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            topic.Write(ref writer, version, flexible);
        }
        if (version >= 8 && version <= 10)
        {
            writer.WriteInt32(ClusterAuthorizedOperations);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Broker
    {
        public int NodeId { get; set; }

        public string Host { get; set; } = "";

        public int Port { get; set; }

        /// <summary>v1+.</summary>
        public string? Rack { get; set; }

        internal static Broker Read(ref KafkaReader reader, short version, bool flexible)
        {
            var broker = new Broker
            {
                NodeId = reader.ReadInt32(),
                Host = reader.ReadString(flexible),
                Port = reader.ReadInt32(),
            };
            if (version >= 1)
            {
                broker.Rack = reader.ReadNullableString(flexible);
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
            return broker;
        }

        internal void Write(ref KafkaWriter writer, short version, bool flexible)
        {
            writer.WriteInt32(NodeId);
            writer.WriteString(Host, flexible);
            writer.WriteInt32(Port);
            if (version >= 1)
            {
                writer.WriteNullableString(Rack, flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
    }

    public sealed class Topic
    {
        public ErrorCode ErrorCode { get; set; }

        /// <summary>Null only from v12, for an unknown topic asked for by id.</summary>
        public string? Name { get; set; }

        /// <summary>v10+.</summary>
        public Guid TopicId { get; set; }

        /// <summary>v1+.</summary>
        public bool IsInternal { get; set; }

        public List<Partition> Partitions { get; } = [];

        /// <summary>v8+.</summary>
        public int TopicAuthorizedOperations { get; set; } = AuthorizedOperationsOmitted;

        internal static Topic Read(ref KafkaReader reader, short version, bool flexible)
        {
            var topic = new Topic { ErrorCode = (ErrorCode)reader.ReadInt16() };
            topic.Name = version >= 12 ? reader.ReadNullableString(flexible) : reader.ReadString(flexible);
            if (version >= 10)
            {
                topic.TopicId = reader.ReadUuid();
            }
            if (version >= 1)
            {
                topic.IsInternal = reader.ReadBoolean();
            }
            int partitions = reader.ReadArrayCount(flexible, 18);
            for (int i = 0; i < partitions; i++)
            {
                topic.Partitions.Add(Partition.Read(ref reader, version, flexible));
            }
            if (version >= 8)
            {
                topic.TopicAuthorizedOperations = reader.ReadInt32();
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
            return topic;
        }

        internal void Write(ref KafkaWriter writer, short version, bool flexible)
        {
            writer.WriteInt16((short)ErrorCode);
            if (version >= 12)
            {
                writer.WriteNullableString(Name, flexible);
            }
            else
            {
                writer.WriteString(Name ?? throw new ArgumentException("Topic name is required before v12."), flexible);
            }
            if (version >= 10)
            {
                writer.WriteUuid(TopicId);
            }
            if (version >= 1)
            {
                writer.WriteBoolean(IsInternal);
            }
            writer.WriteArrayCount(Partitions.Count, flexible);
            foreach (Partition partition in Partitions)
            {
                partition.Write(ref writer, version, flexible);
            }
            if (version >= 8)
            {
                writer.WriteInt32(TopicAuthorizedOperations);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
    }

    public sealed class Partition
    {
        public ErrorCode ErrorCode { get; set; }

        public int PartitionIndex { get; set; }

        public int LeaderId { get; set; }

        /// <summary>v7+.</summary>
        public int LeaderEpoch { get; set; } = -1;

        public int[] ReplicaNodes { get; set; } = [];

        public int[] IsrNodes { get; set; } = [];

        /// <summary>v5+.</summary>
        public int[] OfflineReplicas { get; set; } = [];

        internal static Partition Read(ref KafkaReader reader, short version, bool flexible)
        {
            var partition = new Partition
            {
                ErrorCode = (ErrorCode)reader.ReadInt16(),
                PartitionIndex = reader.ReadInt32(),
                LeaderId = reader.ReadInt32(),
            };
            if (version >= 7)
            {
                partition.LeaderEpoch = reader.ReadInt32();
            }
            partition.ReplicaNodes = MessageIo.ReadInt32Array(ref reader, flexible);
            partition.IsrNodes = MessageIo.ReadInt32Array(ref reader, flexible);
            if (version >= 5)
            {
                partition.OfflineReplicas = MessageIo.ReadInt32Array(ref reader, flexible);
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
            return partition;
        }

        internal void Write(ref KafkaWriter writer, short version, bool flexible)
        {
            writer.WriteInt16((short)ErrorCode);
            writer.WriteInt32(PartitionIndex);
            writer.WriteInt32(LeaderId);
            if (version >= 7)
            {
                writer.WriteInt32(LeaderEpoch);
            }
            MessageIo.WriteInt32Array(ref writer, ReplicaNodes, flexible);
            MessageIo.WriteInt32Array(ref writer, IsrNodes, flexible);
            if (version >= 5)
            {
                MessageIo.WriteInt32Array(ref writer, OfflineReplicas, flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
    }
}
