using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>Heartbeat request (key 12), versions 0-4.</summary>
public sealed class HeartbeatRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 4;
    public const short FirstFlexibleVersion = 4;

    public string GroupId { get; set; } = "";

    public int GenerationId { get; set; } = -1;

    public string MemberId { get; set; } = "";

    /// <summary>v3+.</summary>
    public string? GroupInstanceId { get; set; }

    public static HeartbeatRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("HeartbeatRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new HeartbeatRequest
        {
            GroupId = reader.ReadString(flexible),
            GenerationId = reader.ReadInt32(),
            MemberId = reader.ReadString(flexible),
        };
        if (version >= 3)
        {
            request.GroupInstanceId = reader.ReadNullableString(flexible);
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("HeartbeatRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("HeartbeatRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible);
        writer.WriteInt32(GenerationId);
        writer.WriteString(MemberId, flexible);
        if (version >= 3)
        {
            writer.WriteNullableString(GroupInstanceId, flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }
}
