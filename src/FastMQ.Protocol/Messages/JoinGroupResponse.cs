using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>JoinGroup response (key 11), versions 0-9.</summary>
/// <remarks>
/// <see cref="ProtocolName"/> is nullable only from v7; a null name is written as <c>""</c> below v7 (error answers
/// such as MEMBER_ID_REQUIRED carry no chosen protocol), as Kafka does. <see cref="Members"/> is filled for the
/// leader only.
/// </remarks>
public sealed class JoinGroupResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 9;
    public const short FirstFlexibleVersion = 6;

    /// <summary>v2+.</summary>
    public int ThrottleTimeMs { get; set; }

    public ErrorCode ErrorCode { get; set; }

    /// <summary>-1 on error.</summary>
    public int GenerationId { get; set; } = -1;

    /// <summary>v7+.</summary>
    public string? ProtocolType { get; set; }

    /// <summary>The chosen assignor; null (v7+) or <c>""</c> when none was chosen.</summary>
    public string? ProtocolName { get; set; }

    /// <summary>The leader's member id.</summary>
    public string Leader { get; set; } = "";

    /// <summary>v9+.</summary>
    public bool SkipAssignment { get; set; }

    /// <summary>This member's id (also sent with MEMBER_ID_REQUIRED).</summary>
    public string MemberId { get; set; } = "";

    public List<Member> Members { get; } = [];

    public static JoinGroupResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("JoinGroupResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new JoinGroupResponse();
        if (version >= 2)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        response.ErrorCode = (ErrorCode)reader.ReadInt16();
        response.GenerationId = reader.ReadInt32();
        if (version >= 7)
        {
            response.ProtocolType = reader.ReadNullableString(flexible);
            response.ProtocolName = reader.ReadNullableString(flexible);
        }
        else
        {
            response.ProtocolName = reader.ReadString(flexible);
        }
        response.Leader = reader.ReadString(flexible);
        if (version >= 9)
        {
            response.SkipAssignment = reader.ReadBoolean();
        }
        response.MemberId = reader.ReadString(flexible);
        int count = reader.ReadArrayCount(flexible, flexible ? 4 : 6);
        for (int i = 0; i < count; i++)
        {
            var member = new Member { MemberId = reader.ReadString(flexible) };
            if (version >= 5)
            {
                member.GroupInstanceId = reader.ReadNullableString(flexible);
            }
            member.Metadata = GroupMessageIo.ReadBytesCopy(ref reader, flexible);
            GroupMessageIo.SkipTags(ref reader, flexible);
            response.Members.Add(member);
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("JoinGroupResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("JoinGroupResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 2)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }
        writer.WriteInt16((short)ErrorCode);
        writer.WriteInt32(GenerationId);
        if (version >= 7)
        {
            writer.WriteNullableString(ProtocolType, flexible);
            writer.WriteNullableString(ProtocolName, flexible);
        }
        else
        {
            writer.WriteString(ProtocolName ?? "", flexible);
        }
        writer.WriteString(Leader, flexible);
        if (version >= 9)
        {
            writer.WriteBoolean(SkipAssignment);
        }
        writer.WriteString(MemberId, flexible);
        writer.WriteArrayCount(Members.Count, flexible);
        foreach (Member member in Members)
        {
            writer.WriteString(member.MemberId, flexible);
            if (version >= 5)
            {
                writer.WriteNullableString(member.GroupInstanceId, flexible);
            }
            writer.WriteBytes(member.Metadata, flexible);
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Member
    {
        public string MemberId { get; set; } = "";

        /// <summary>v5+.</summary>
        public string? GroupInstanceId { get; set; }

        /// <summary>The member's metadata for the chosen protocol.</summary>
        public byte[] Metadata { get; set; } = [];
    }
}
