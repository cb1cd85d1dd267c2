using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>SyncGroup request (key 14), versions 0-5.</summary>
/// <remarks>
/// Only the leader sends <see cref="Assignments"/>; followers send an empty list. Each assignment is opaque to the
/// coordinator (a <see cref="ConsumerProtocolAssignment"/> for consumer groups).
/// </remarks>
public sealed class SyncGroupRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 5;
    public const short FirstFlexibleVersion = 4;

    public string GroupId { get; set; } = "";

    public int GenerationId { get; set; } = -1;

    public string MemberId { get; set; } = "";

    /// <summary>v3+.</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary>v5+; must match the group's, else INCONSISTENT_GROUP_PROTOCOL.</summary>
    public string? ProtocolType { get; set; }

    /// <summary>v5+; must match the group's, else INCONSISTENT_GROUP_PROTOCOL.</summary>
    public string? ProtocolName { get; set; }

    public List<Assignment> Assignments { get; } = [];

    public static SyncGroupRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("SyncGroupRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new SyncGroupRequest
        {
            GroupId = reader.ReadString(flexible),
            GenerationId = reader.ReadInt32(),
            MemberId = reader.ReadString(flexible),
        };
        if (version >= 3)
        {
            request.GroupInstanceId = reader.ReadNullableString(flexible);
        }
        if (version >= 5)
        {
            request.ProtocolType = reader.ReadNullableString(flexible);
            request.ProtocolName = reader.ReadNullableString(flexible);
        }
        int count = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int i = 0; i < count; i++)
        {
            var assignment = new Assignment
            {
                MemberId = reader.ReadString(flexible),
                Data = GroupMessageIo.ReadBytesCopy(ref reader, flexible),
            };
            GroupMessageIo.SkipTags(ref reader, flexible);
            request.Assignments.Add(assignment);
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("SyncGroupRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("SyncGroupRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible);
        writer.WriteInt32(GenerationId);
        writer.WriteString(MemberId, flexible);
        if (version >= 3)
        {
            writer.WriteNullableString(GroupInstanceId, flexible);
        }
        if (version >= 5)
        {
            writer.WriteNullableString(ProtocolType, flexible);
            writer.WriteNullableString(ProtocolName, flexible);
        }
        writer.WriteArrayCount(Assignments.Count, flexible);
        foreach (Assignment assignment in Assignments)
        {
            writer.WriteString(assignment.MemberId, flexible);
            writer.WriteBytes(assignment.Data, flexible);
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Assignment
    {
        public string MemberId { get; set; } = "";

        /// <summary>The member's opaque assignment bytes (the schema's <c>Assignment</c> field).</summary>
        public byte[] Data { get; set; } = [];
    }
}
