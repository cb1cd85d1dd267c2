using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>DescribeGroups response (key 15), versions 0-5.</summary>
/// <remarks>
/// Kafka fills <see cref="DescribedGroup.ProtocolData"/> and the members' metadata and assignment only for Stable
/// groups; for consumer groups they decode with <see cref="ConsumerProtocolSubscription"/> and
/// <see cref="ConsumerProtocolAssignment"/>.
/// </remarks>
public sealed class DescribeGroupsResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 5;
    public const short FirstFlexibleVersion = 5;

    /// <summary><see cref="DescribedGroup.AuthorizedOperations"/> when not computed.</summary>
    public const int AuthorizedOperationsOmitted = int.MinValue;

    /// <summary>v1+.</summary>
    public int ThrottleTimeMs { get; set; }

    public List<DescribedGroup> Groups { get; } = [];

    public static DescribeGroupsResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("DescribeGroupsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new DescribeGroupsResponse();
        if (version >= 1)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        // ErrorCode, GroupId, GroupState, ProtocolType, ProtocolData, Members: 2 + 4 × 2 + 4 classic, 2 + 5 (+ tags) flexible.
        int groups = reader.ReadArrayCount(flexible, flexible ? 8 : 14);
        for (int g = 0; g < groups; g++)
        {
            var group = new DescribedGroup
            {
                ErrorCode = (ErrorCode)reader.ReadInt16(),
                GroupId = reader.ReadString(flexible),
                GroupState = reader.ReadString(flexible),
                ProtocolType = reader.ReadString(flexible),
                ProtocolData = reader.ReadString(flexible),
            };
            // MemberId, ClientId, ClientHost, MemberMetadata, MemberAssignment: 2 × 3 + 4 × 2 classic, 5 (+ tags) flexible.
            int members = reader.ReadArrayCount(flexible, flexible ? 7 : 14);
            for (int m = 0; m < members; m++)
            {
                var member = new DescribedGroupMember { MemberId = reader.ReadString(flexible) };
                if (version >= 4)
                {
                    member.GroupInstanceId = reader.ReadNullableString(flexible);
                }
                member.ClientId = reader.ReadString(flexible);
                member.ClientHost = reader.ReadString(flexible);
                member.MemberMetadata = GroupMessageIo.ReadBytesCopy(ref reader, flexible);
                member.MemberAssignment = GroupMessageIo.ReadBytesCopy(ref reader, flexible);
                GroupMessageIo.SkipTags(ref reader, flexible);
                group.Members.Add(member);
            }
            if (version >= 3)
            {
                group.AuthorizedOperations = reader.ReadInt32();
            }
            GroupMessageIo.SkipTags(ref reader, flexible);
            response.Groups.Add(group);
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("DescribeGroupsResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("DescribeGroupsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }
        writer.WriteArrayCount(Groups.Count, flexible);
        foreach (DescribedGroup group in Groups)
        {
            writer.WriteInt16((short)group.ErrorCode);
            writer.WriteString(group.GroupId, flexible);
            writer.WriteString(group.GroupState, flexible);
            writer.WriteString(group.ProtocolType, flexible);
            writer.WriteString(group.ProtocolData, flexible);
            writer.WriteArrayCount(group.Members.Count, flexible);
            foreach (DescribedGroupMember member in group.Members)
            {
                writer.WriteString(member.MemberId, flexible);
                if (version >= 4)
                {
                    writer.WriteNullableString(member.GroupInstanceId, flexible);
                }
                writer.WriteString(member.ClientId, flexible);
                writer.WriteString(member.ClientHost, flexible);
                writer.WriteBytes(member.MemberMetadata, flexible);
                writer.WriteBytes(member.MemberAssignment, flexible);
                writer.WriteEmptyTaggedFields(flexible);
            }
            if (version >= 3)
            {
                writer.WriteInt32(group.AuthorizedOperations);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class DescribedGroup
    {
        public ErrorCode ErrorCode { get; set; }

        public string GroupId { get; set; } = "";

        /// <summary>State name (<c>Stable</c>, <c>Empty</c>, …), <c>Dead</c> for an unknown group.</summary>
        public string GroupState { get; set; } = "";

        public string ProtocolType { get; set; } = "";

        /// <summary>The chosen protocol (assignor) name, or <c>""</c>.</summary>
        public string ProtocolData { get; set; } = "";

        public List<DescribedGroupMember> Members { get; } = [];

        /// <summary>v3+: bit field of allowed operations, or <see cref="AuthorizedOperationsOmitted"/>.</summary>
        public int AuthorizedOperations { get; set; } = AuthorizedOperationsOmitted;
    }

    public sealed class DescribedGroupMember
    {
        public string MemberId { get; set; } = "";

        /// <summary>v4+.</summary>
        public string? GroupInstanceId { get; set; }

        public string ClientId { get; set; } = "";

        public string ClientHost { get; set; } = "";

        /// <summary>The member's metadata for the chosen protocol.</summary>
        public byte[] MemberMetadata { get; set; } = [];

        /// <summary>The member's current assignment.</summary>
        public byte[] MemberAssignment { get; set; } = [];
    }
}
