using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// OffsetFetch response (key 9), versions 1-9: <see cref="Topics"/> and a group-level <see cref="ErrorCode"/> (v2+)
/// up to v7, one <see cref="Group"/> per requested group from v8.
/// </summary>
/// <remarks>A partition without a commit answers offset -1, metadata <c>""</c>, error NONE.</remarks>
public sealed class OffsetFetchResponse
{
    public const short MinVersion = 1;
    public const short MaxVersion = 9;
    public const short FirstFlexibleVersion = 6;

    /// <summary>v3+.</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>v1-7.</summary>
    public List<Topic> Topics { get; } = [];

    /// <summary>v2-7: group-level error.</summary>
    public ErrorCode ErrorCode { get; set; }

    /// <summary>v8+.</summary>
    public List<Group> Groups { get; } = [];

    public static OffsetFetchResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("OffsetFetchResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new OffsetFetchResponse();
        if (version >= 3)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        if (version <= 7)
        {
            ReadTopics(ref reader, version, flexible, response.Topics);
            if (version >= 2)
            {
                response.ErrorCode = (ErrorCode)reader.ReadInt16();
            }
        }
        else
        {
            // GroupId, Topics, ErrorCode, tags.
            int groups = reader.ReadArrayCount(flexible, 5);
            for (int i = 0; i < groups; i++)
            {
                var group = new Group { GroupId = reader.ReadString(flexible) };
                ReadTopics(ref reader, version, flexible, group.Topics);
                group.ErrorCode = (ErrorCode)reader.ReadInt16();
                GroupMessageIo.SkipTags(ref reader, flexible);
                response.Groups.Add(group);
            }
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("OffsetFetchResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("OffsetFetchResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 3)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }
        if (version <= 7)
        {
            WriteTopics(ref writer, Topics, version, flexible);
            if (version >= 2)
            {
                writer.WriteInt16((short)ErrorCode);
            }
        }
        else
        {
            writer.WriteArrayCount(Groups.Count, flexible);
            foreach (Group group in Groups)
            {
                writer.WriteString(group.GroupId, flexible);
                WriteTopics(ref writer, group.Topics, version, flexible);
                writer.WriteInt16((short)group.ErrorCode);
                writer.WriteEmptyTaggedFields(flexible);
            }
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    private static void ReadTopics(ref KafkaReader reader, short version, bool flexible, List<Topic> into)
    {
        int topics = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int t = 0; t < topics; t++)
        {
            var topic = new Topic { Name = reader.ReadString(flexible) };
            // PartitionIndex, CommittedOffset, [CommittedLeaderEpoch], Metadata, ErrorCode, [tags].
            int partitions = reader.ReadArrayCount(flexible, flexible ? 20 : 16);
            for (int p = 0; p < partitions; p++)
            {
                var partition = new Partition
                {
                    PartitionIndex = reader.ReadInt32(),
                    CommittedOffset = reader.ReadInt64(),
                };
                if (version >= 5)
                {
                    partition.CommittedLeaderEpoch = reader.ReadInt32();
                }
                partition.Metadata = reader.ReadNullableString(flexible);
                partition.ErrorCode = (ErrorCode)reader.ReadInt16();
                GroupMessageIo.SkipTags(ref reader, flexible);
                topic.Partitions.Add(partition);
            }
            GroupMessageIo.SkipTags(ref reader, flexible);
            into.Add(topic);
        }
    }

    private static void WriteTopics(ref KafkaWriter writer, List<Topic> topics, short version, bool flexible)
    {
        writer.WriteArrayCount(topics.Count, flexible);
        foreach (Topic topic in topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayCount(topic.Partitions.Count, flexible);
            foreach (Partition partition in topic.Partitions)
            {
                writer.WriteInt32(partition.PartitionIndex);
                writer.WriteInt64(partition.CommittedOffset);
                if (version >= 5)
                {
                    writer.WriteInt32(partition.CommittedLeaderEpoch);
                }
                writer.WriteNullableString(partition.Metadata, flexible);
                writer.WriteInt16((short)partition.ErrorCode);
                writer.WriteEmptyTaggedFields(flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
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

        /// <summary>The next offset to read; -1 when nothing is committed.</summary>
        public long CommittedOffset { get; set; } = -1;

        /// <summary>v5+; -1 if unknown.</summary>
        public int CommittedLeaderEpoch { get; set; } = -1;

        public string? Metadata { get; set; } = "";

        public ErrorCode ErrorCode { get; set; }
    }

    public sealed class Group
    {
        public string GroupId { get; set; } = "";

        public List<Topic> Topics { get; } = [];

        public ErrorCode ErrorCode { get; set; }
    }
}
