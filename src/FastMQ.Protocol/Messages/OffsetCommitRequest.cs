using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>OffsetCommit request (key 8), versions 2-9.</summary>
/// <remarks>
/// The committed offset is the next offset to read. Standalone commits (outside a group generation) carry generation
/// -1 and member <c>""</c>. Version 1's per-partition CommitTimestamp is below the supported range.
/// </remarks>
public sealed class OffsetCommitRequest
{
    public const short MinVersion = 2;
    public const short MaxVersion = 9;
    public const short FirstFlexibleVersion = 8;

    public string GroupId { get; set; } = "";

    /// <summary>The generation (classic groups); -1 for standalone commits.</summary>
    public int GenerationIdOrMemberEpoch { get; set; } = -1;

    public string MemberId { get; set; } = "";

    /// <summary>v7+.</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary>v2-4; -1 = broker default. FastMQ ignores it (retention is broker configuration).</summary>
    public long RetentionTimeMs { get; set; } = -1;

    public List<Topic> Topics { get; } = [];

    public static OffsetCommitRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("OffsetCommitRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new OffsetCommitRequest
        {
            GroupId = reader.ReadString(flexible),
            GenerationIdOrMemberEpoch = reader.ReadInt32(),
            MemberId = reader.ReadString(flexible),
        };
        if (version >= 7)
        {
            request.GroupInstanceId = reader.ReadNullableString(flexible);
        }
        if (version <= 4)
        {
            request.RetentionTimeMs = reader.ReadInt64();
        }
        int topics = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            // PartitionIndex, CommittedOffset, [CommittedLeaderEpoch], CommittedMetadata, [tags].
            int partitions = reader.ReadArrayCount(flexible, flexible ? 18 : 14);
            for (int p = 0; p < partitions; p++)
            {
                var partition = new Partition
                {
                    PartitionIndex = reader.ReadInt32(),
                    CommittedOffset = reader.ReadInt64(),
                };
                if (version >= 6)
                {
                    partition.CommittedLeaderEpoch = reader.ReadInt32();
                }
                partition.CommittedMetadata = reader.ReadNullableString(flexible);
                GroupMessageIo.SkipTags(ref reader, flexible);
                topic.Partitions.Add(partition);
            }
            GroupMessageIo.SkipTags(ref reader, flexible);
            request.Topics.Add(topic);
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("OffsetCommitRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("OffsetCommitRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible);
        writer.WriteInt32(GenerationIdOrMemberEpoch);
        writer.WriteString(MemberId, flexible);
        if (version >= 7)
        {
            writer.WriteNullableString(GroupInstanceId, flexible);
        }
        if (version <= 4)
        {
            writer.WriteInt64(RetentionTimeMs);
        }
        writer.WriteArrayCount(Topics.Count, flexible);
        foreach (Topic topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayCount(topic.Partitions.Count, flexible);
            foreach (Partition partition in topic.Partitions)
            {
                writer.WriteInt32(partition.PartitionIndex);
                writer.WriteInt64(partition.CommittedOffset);
                if (version >= 6)
                {
                    writer.WriteInt32(partition.CommittedLeaderEpoch);
                }
                writer.WriteNullableString(partition.CommittedMetadata, flexible);
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

        /// <summary>The next offset to read.</summary>
        public long CommittedOffset { get; set; }

        /// <summary>v6+; -1 if unknown.</summary>
        public int CommittedLeaderEpoch { get; set; } = -1;

        /// <summary>Client metadata, stored as given.</summary>
        public string? CommittedMetadata { get; set; }
    }
}
