using System.Collections.Generic;
using System.Text;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// Fetch request (key 1, versions 4-12) as plain objects, for clients, tools and tests. The broker reads requests with
/// the allocation-free <see cref="FetchRequestReader"/> instead.
/// </summary>
public sealed class FetchRequest
{
    public const short MinVersion = FetchRequestReader.MinVersion;
    public const short MaxVersion = FetchRequestReader.MaxVersion;
    public const short FirstFlexibleVersion = FetchRequestReader.FirstFlexibleVersion;

    /// <summary>v12+ tag 0; null = absent.</summary>
    public string? ClusterId { get; set; }

    public int ReplicaId { get; set; } = -1;

    public int MaxWaitMs { get; set; } = 500;

    public int MinBytes { get; set; } = 1;

    public int MaxBytes { get; set; } = int.MaxValue;

    public sbyte IsolationLevel { get; set; }

    /// <summary>v7+.</summary>
    public int SessionId { get; set; }

    /// <summary>v7+.</summary>
    public int SessionEpoch { get; set; } = -1;

    public List<Topic> Topics { get; } = [];

    /// <summary>v7+.</summary>
    public List<ForgottenTopic> ForgottenTopics { get; } = [];

    /// <summary>v11+.</summary>
    public string RackId { get; set; } = "";

    public static FetchRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("FetchRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new FetchRequest
        {
            ReplicaId = reader.ReadInt32(),
            MaxWaitMs = reader.ReadInt32(),
            MinBytes = reader.ReadInt32(),
            MaxBytes = reader.ReadInt32(),
            IsolationLevel = reader.ReadInt8(),
        };
        if (version >= 7)
        {
            request.SessionId = reader.ReadInt32();
            request.SessionEpoch = reader.ReadInt32();
        }
        int topics = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            int partitions = reader.ReadArrayCount(flexible, FetchRequestReader.PartitionMinSize(version));
            for (int p = 0; p < partitions; p++)
            {
                var partition = new Partition { PartitionIndex = reader.ReadInt32() };
                if (version >= 9)
                {
                    partition.CurrentLeaderEpoch = reader.ReadInt32();
                }
                partition.FetchOffset = reader.ReadInt64();
                if (version >= 12)
                {
                    partition.LastFetchedEpoch = reader.ReadInt32();
                }
                if (version >= 5)
                {
                    partition.LogStartOffset = reader.ReadInt64();
                }
                partition.PartitionMaxBytes = reader.ReadInt32();
                SkipTags(ref reader, flexible);
                topic.Partitions.Add(partition);
            }
            SkipTags(ref reader, flexible);
            request.Topics.Add(topic);
        }
        if (version >= 7)
        {
            int forgotten = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
            for (int t = 0; t < forgotten; t++)
            {
                var topic = new ForgottenTopic { Name = reader.ReadString(flexible) };
                topic.Partitions = MessageIo.ReadInt32Array(ref reader, flexible);
                SkipTags(ref reader, flexible);
                request.ForgottenTopics.Add(topic);
            }
        }
        if (version >= 11)
        {
            request.RackId = reader.ReadString(flexible);
        }
        if (flexible)
        {
            int tags = reader.ReadTaggedFieldCount();
            for (int i = 0; i < tags; i++)
            {
                var data = new KafkaReader(reader.ReadTaggedField(out uint tag));
                if (tag == 0)
                {
                    request.ClusterId = data.ReadNullableString(flexible: true);
                    data.EnsureEnd("FetchRequest ClusterId tag");
                }
            }
        }
        reader.EnsureEnd("FetchRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("FetchRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ReplicaId);
        writer.WriteInt32(MaxWaitMs);
        writer.WriteInt32(MinBytes);
        writer.WriteInt32(MaxBytes);
        writer.WriteInt8(IsolationLevel);
        if (version >= 7)
        {
            writer.WriteInt32(SessionId);
            writer.WriteInt32(SessionEpoch);
        }
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayCount(topic.Partitions.Count, flexible);
            foreach (Partition partition in topic.Partitions)
            {
                writer.WriteInt32(partition.PartitionIndex);
                if (version >= 9)
                {
                    writer.WriteInt32(partition.CurrentLeaderEpoch);
                }
                writer.WriteInt64(partition.FetchOffset);
                if (version >= 12)
                {
                    writer.WriteInt32(partition.LastFetchedEpoch);
                }
                if (version >= 5)
                {
                    writer.WriteInt64(partition.LogStartOffset);
                }
                writer.WriteInt32(partition.PartitionMaxBytes);
                writer.WriteEmptyTaggedFields(flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
        if (version >= 7)
        {
            writer.WriteArrayCount(ForgottenTopics.Count, flexible);
            foreach (ForgottenTopic topic in ForgottenTopics)
            {
                writer.WriteString(topic.Name, flexible);
                MessageIo.WriteInt32Array(ref writer, topic.Partitions, flexible);
                writer.WriteEmptyTaggedFields(flexible);
            }
        }
        if (version >= 11)
        {
            writer.WriteString(RackId, flexible);
        }
        if (!flexible)
        {
            return;
        }
        if (ClusterId is null)
        {
            writer.WriteEmptyTaggedFields(flexible: true);
            return;
        }
        // Tag 0 holds a COMPACT_NULLABLE_STRING; its size is the varint length prefix plus the UTF-8 bytes.
        int length = Encoding.UTF8.GetByteCount(ClusterId);
        writer.WriteUnsignedVarint(1);
        writer.WriteUnsignedVarint(0);
        writer.WriteUnsignedVarint((uint)(Varint.SizeOfUnsigned((uint)length + 1) + length));
        writer.WriteString(ClusterId, flexible: true);
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

        public List<Partition> Partitions { get; } = [];
    }

    public sealed class Partition
    {
        public int PartitionIndex { get; set; }

        /// <summary>v9+.</summary>
        public int CurrentLeaderEpoch { get; set; } = -1;

        public long FetchOffset { get; set; }

        /// <summary>v12+.</summary>
        public int LastFetchedEpoch { get; set; } = -1;

        /// <summary>v5+.</summary>
        public long LogStartOffset { get; set; } = -1;

        public int PartitionMaxBytes { get; set; } = 1048576;
    }

    public sealed class ForgottenTopic
    {
        public string Name { get; set; } = "";

        public int[] Partitions { get; set; } = [];
    }
}
