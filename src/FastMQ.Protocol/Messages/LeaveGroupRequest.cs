using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// LeaveGroup request (key 13), versions 0-5: one <see cref="MemberId"/> up to v2, a batch of
/// <see cref="Members"/> (with instance ids) from v3, each with a <see cref="Member.Reason"/> from v5.
/// </summary>
/// <remarks>Use <see cref="LeavingMembers"/> to handle both forms alike.</remarks>
public sealed class LeaveGroupRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 5;
    public const short FirstFlexibleVersion = 4;

    public string GroupId { get; set; } = "";

    /// <summary>v0-2.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>v3+.</summary>
    public List<Member> Members { get; } = [];

    /// <summary>The members leaving, whatever the version: <see cref="MemberId"/> alone (no instance id) before v3.</summary>
    public IReadOnlyList<Member> LeavingMembers(short version) =>
        version >= 3 ? Members : [new Member { MemberId = MemberId }];

    public static LeaveGroupRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("LeaveGroupRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new LeaveGroupRequest { GroupId = reader.ReadString(flexible) };
        if (version <= 2)
        {
            request.MemberId = reader.ReadString(flexible);
        }
        else
        {
            int count = reader.ReadArrayCount(flexible, flexible ? 3 : 4);
            for (int i = 0; i < count; i++)
            {
                var member = new Member
                {
                    MemberId = reader.ReadString(flexible),
                    GroupInstanceId = reader.ReadNullableString(flexible),
                };
                if (version >= 5)
                {
                    member.Reason = reader.ReadNullableString(flexible);
                }
                GroupMessageIo.SkipTags(ref reader, flexible);
                request.Members.Add(member);
            }
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("LeaveGroupRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("LeaveGroupRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible);
        if (version <= 2)
        {
            writer.WriteString(MemberId, flexible);
        }
        else
        {
            writer.WriteArrayCount(Members.Count, flexible);
            foreach (Member member in Members)
            {
                writer.WriteString(member.MemberId, flexible);
                writer.WriteNullableString(member.GroupInstanceId, flexible);
                if (version >= 5)
                {
                    writer.WriteNullableString(member.Reason, flexible);
                }
                writer.WriteEmptyTaggedFields(flexible);
            }
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Member
    {
        public string MemberId { get; set; } = "";

        public string? GroupInstanceId { get; set; }

        /// <summary>v5+.</summary>
        public string? Reason { get; set; }
    }
}
