using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>ListGroups response (key 16), versions 0-5: every group with its protocol type, state (v4+), type (v5+).</summary>
public sealed class ListGroupsResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 5;
    public const short FirstFlexibleVersion = 3;

    /// <summary>v1+.</summary>
    public int ThrottleTimeMs { get; set; }

    public ErrorCode ErrorCode { get; set; }

    public List<ListedGroup> Groups { get; } = [];

    public static ListGroupsResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("ListGroupsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new ListGroupsResponse();
        if (version >= 1)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        response.ErrorCode = (ErrorCode)reader.ReadInt16();
        int count = reader.ReadArrayCount(flexible, flexible ? 3 : 4);
        for (int i = 0; i < count; i++)
        {
            var group = new ListedGroup
            {
                GroupId = reader.ReadString(flexible),
                ProtocolType = reader.ReadString(flexible),
            };
            if (version >= 4)
            {
                group.GroupState = reader.ReadString(flexible);
            }
            if (version >= 5)
            {
                group.GroupType = reader.ReadString(flexible);
            }
            GroupMessageIo.SkipTags(ref reader, flexible);
            response.Groups.Add(group);
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("ListGroupsResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("ListGroupsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }
        writer.WriteInt16((short)ErrorCode);
        writer.WriteArrayCount(Groups.Count, flexible);
        foreach (ListedGroup group in Groups)
        {
            writer.WriteString(group.GroupId, flexible);
            writer.WriteString(group.ProtocolType, flexible);
            if (version >= 4)
            {
                writer.WriteString(group.GroupState, flexible);
            }
            if (version >= 5)
            {
                writer.WriteString(group.GroupType, flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class ListedGroup
    {
        public string GroupId { get; set; } = "";

        /// <summary><c>consumer</c> for consumer groups; <c>""</c> for groups that only hold offsets.</summary>
        public string ProtocolType { get; set; } = "";

        /// <summary>v4+: <c>Empty</c>, <c>PreparingRebalance</c>, <c>CompletingRebalance</c>, <c>Stable</c>, <c>Dead</c>.</summary>
        public string GroupState { get; set; } = "";

        /// <summary>v5+: <c>classic</c> for every FastMQ group.</summary>
        public string GroupType { get; set; } = "";
    }
}
