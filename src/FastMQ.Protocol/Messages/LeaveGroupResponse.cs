using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>LeaveGroup response (key 13), versions 0-5: a group-level error, plus one result per member from v3.</summary>
public sealed class LeaveGroupResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 5;
    public const short FirstFlexibleVersion = 4;

    /// <summary>v1+.</summary>
    public int ThrottleTimeMs { get; set; }

    public ErrorCode ErrorCode { get; set; }

    /// <summary>v3+.</summary>
    public List<Member> Members { get; } = [];

    public static LeaveGroupResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("LeaveGroupResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new LeaveGroupResponse();
        if (version >= 1)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        response.ErrorCode = (ErrorCode)reader.ReadInt16();
        if (version >= 3)
        {
            int count = reader.ReadArrayCount(flexible, flexible ? 5 : 6);
            for (int i = 0; i < count; i++)
            {
                var member = new Member
                {
                    MemberId = reader.ReadString(flexible),
                    GroupInstanceId = reader.ReadNullableString(flexible),
                    ErrorCode = (ErrorCode)reader.ReadInt16(),
                };
                GroupMessageIo.SkipTags(ref reader, flexible);
                response.Members.Add(member);
            }
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("LeaveGroupResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("LeaveGroupResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }
        writer.WriteInt16((short)ErrorCode);
        if (version >= 3)
        {
            writer.WriteArrayCount(Members.Count, flexible);
            foreach (Member member in Members)
            {
                writer.WriteString(member.MemberId, flexible);
                writer.WriteNullableString(member.GroupInstanceId, flexible);
                writer.WriteInt16((short)member.ErrorCode);
                writer.WriteEmptyTaggedFields(flexible);
            }
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Member
    {
        public string MemberId { get; set; } = "";

        public string? GroupInstanceId { get; set; }

        public ErrorCode ErrorCode { get; set; }
    }
}
