using System;
using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// OffsetFetch request (key 9), versions 1-9: one group (<see cref="GroupId"/>, <see cref="Topics"/>) up to v7,
/// several <see cref="Groups"/> from v8; <see cref="RequireStable"/> from v7.
/// </summary>
/// <remarks>
/// A null topic list means "every partition the group has committed" (v2+ only; v1 has no null array, so writing one
/// at v1 throws). Use <see cref="RequestedGroups"/> to handle both forms alike.
/// </remarks>
public sealed class OffsetFetchRequest
{
    public const short MinVersion = 1;
    public const short MaxVersion = 9;
    public const short FirstFlexibleVersion = 6;

    /// <summary>v1-7.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>v1-7; null = all committed partitions (v2+).</summary>
    public List<Topic>? Topics { get; set; } = [];

    /// <summary>v8+.</summary>
    public List<Group> Groups { get; } = [];

    /// <summary>v7+: hold back offsets with pending transactional commits (FastMQ has none to wait for).</summary>
    public bool RequireStable { get; set; }

    /// <summary>The groups asked for, whatever the version: one built from <see cref="GroupId"/> and
    /// <see cref="Topics"/> before v8.</summary>
    public IReadOnlyList<Group> RequestedGroups(short version) =>
        version >= 8 ? Groups : [new Group { GroupId = GroupId, Topics = Topics }];

    public static OffsetFetchRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("OffsetFetchRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new OffsetFetchRequest();
        if (version <= 7)
        {
            request.GroupId = reader.ReadString(flexible);
            request.Topics = ReadTopics(ref reader, flexible, nullable: version >= 2);
        }
        else
        {
            // GroupId, [MemberId, MemberEpoch], Topics, tags.
            int groups = reader.ReadArrayCount(flexible, version >= 9 ? 8 : 3);
            for (int i = 0; i < groups; i++)
            {
                var group = new Group { GroupId = reader.ReadString(flexible) };
                if (version >= 9)
                {
                    group.MemberId = reader.ReadNullableString(flexible);
                    group.MemberEpoch = reader.ReadInt32();
                }
                group.Topics = ReadTopics(ref reader, flexible, nullable: true);
                GroupMessageIo.SkipTags(ref reader, flexible);
                request.Groups.Add(group);
            }
        }
        if (version >= 7)
        {
            request.RequireStable = reader.ReadBoolean();
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("OffsetFetchRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("OffsetFetchRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version <= 7)
        {
            if (Topics is null && version < 2)
            {
                throw new ArgumentException("OffsetFetchRequest.Topics cannot be null (all topics) before version 2.", nameof(Topics));
            }
            writer.WriteString(GroupId, flexible);
            WriteTopics(ref writer, Topics, flexible);
        }
        else
        {
            writer.WriteArrayCount(Groups.Count, flexible);
            foreach (Group group in Groups)
            {
                writer.WriteString(group.GroupId, flexible);
                if (version >= 9)
                {
                    writer.WriteNullableString(group.MemberId, flexible);
                    writer.WriteInt32(group.MemberEpoch);
                }
                WriteTopics(ref writer, group.Topics, flexible);
                writer.WriteEmptyTaggedFields(flexible);
            }
        }
        if (version >= 7)
        {
            writer.WriteBoolean(RequireStable);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    private static List<Topic>? ReadTopics(ref KafkaReader reader, bool flexible, bool nullable)
    {
        int start = reader.Position;
        int count = reader.ReadNullableArrayCount(flexible, flexible ? 3 : 6);
        if (count < 0)
        {
            if (!nullable)
            {
                KafkaThrow.UnexpectedNull("OffsetFetchRequest topics array (v1)", start);
            }
            return null;
        }
        List<Topic> topics = MessageIo.NewList<Topic>(count);
        for (int i = 0; i < count; i++)
        {
            var topic = new Topic
            {
                Name = reader.ReadString(flexible),
                PartitionIndexes = MessageIo.ReadInt32Array(ref reader, flexible),
            };
            GroupMessageIo.SkipTags(ref reader, flexible);
            topics.Add(topic);
        }
        return topics;
    }

    private static void WriteTopics(ref KafkaWriter writer, List<Topic>? topics, bool flexible)
    {
        if (topics is null)
        {
            writer.WriteArrayCount(-1, flexible);
            return;
        }
        writer.WriteArrayCount(topics.Count, flexible);
        foreach (Topic topic in topics)
        {
            writer.WriteString(topic.Name, flexible);
            MessageIo.WriteInt32Array(ref writer, topic.PartitionIndexes, flexible);
            writer.WriteEmptyTaggedFields(flexible);
        }
    }

    public sealed class Topic
    {
        public string Name { get; set; } = "";

        public int[] PartitionIndexes { get; set; } = [];
    }

    public sealed class Group
    {
        public string GroupId { get; set; } = "";

        /// <summary>v9+; null from classic-protocol members (no member checks then).</summary>
        public string? MemberId { get; set; }

        /// <summary>v9+; -1 from classic-protocol members.</summary>
        public int MemberEpoch { get; set; } = -1;

        /// <summary>Null = all committed partitions.</summary>
        public List<Topic>? Topics { get; set; } = [];
    }
}
