using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>JoinGroup request (key 11), versions 0-9.</summary>
/// <remarks>
/// <see cref="Protocol.Metadata"/> is opaque to the coordinator; for <c>ProtocolType == "consumer"</c> it holds a
/// <see cref="ConsumerProtocolSubscription"/>.
/// </remarks>
public sealed class JoinGroupRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 9;
    public const short FirstFlexibleVersion = 6;

    public string GroupId { get; set; } = "";

    public int SessionTimeoutMs { get; set; }

    /// <summary>v1+; -1 when absent (v0), in which case the session timeout also bounds the rebalance.</summary>
    public int RebalanceTimeoutMs { get; set; } = -1;

    /// <summary><c>""</c> on a member's first join.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>v5+: static membership (KIP-345).</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary><c>consumer</c> for consumer groups.</summary>
    public string ProtocolType { get; set; } = "";

    /// <summary>The assignors the member supports, in its order of preference.</summary>
    public List<Protocol> Protocols { get; } = [];

    /// <summary>v8+.</summary>
    public string? Reason { get; set; }

    public static JoinGroupRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("JoinGroupRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new JoinGroupRequest
        {
            GroupId = reader.ReadString(flexible),
            SessionTimeoutMs = reader.ReadInt32(),
        };
        if (version >= 1)
        {
            request.RebalanceTimeoutMs = reader.ReadInt32();
        }
        request.MemberId = reader.ReadString(flexible);
        if (version >= 5)
        {
            request.GroupInstanceId = reader.ReadNullableString(flexible);
        }
        request.ProtocolType = reader.ReadString(flexible);
        int count = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
        for (int i = 0; i < count; i++)
        {
            var protocol = new Protocol
            {
                Name = reader.ReadString(flexible),
                Metadata = GroupMessageIo.ReadBytesCopy(ref reader, flexible),
            };
            GroupMessageIo.SkipTags(ref reader, flexible);
            request.Protocols.Add(protocol);
        }
        if (version >= 8)
        {
            request.Reason = reader.ReadNullableString(flexible);
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("JoinGroupRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("JoinGroupRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible);
        writer.WriteInt32(SessionTimeoutMs);
        if (version >= 1)
        {
            writer.WriteInt32(RebalanceTimeoutMs);
        }
        writer.WriteString(MemberId, flexible);
        if (version >= 5)
        {
            writer.WriteNullableString(GroupInstanceId, flexible);
        }
        writer.WriteString(ProtocolType, flexible);
        writer.WriteArrayCount(Protocols.Count, flexible);
        foreach (Protocol protocol in Protocols)
        {
            writer.WriteString(protocol.Name, flexible);
            writer.WriteBytes(protocol.Metadata, flexible);
            writer.WriteEmptyTaggedFields(flexible);
        }
        if (version >= 8)
        {
            writer.WriteNullableString(Reason, flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Protocol
    {
        /// <summary>Assignor name, e.g. <c>range</c>, <c>roundrobin</c>.</summary>
        public string Name { get; set; } = "";

        /// <summary>Opaque member metadata (a consumer subscription for consumer groups).</summary>
        public byte[] Metadata { get; set; } = [];
    }
}
