using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>SyncGroup response (key 14), versions 0-5: this member's own assignment.</summary>
public sealed class SyncGroupResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 5;
    public const short FirstFlexibleVersion = 4;

    /// <summary>v1+.</summary>
    public int ThrottleTimeMs { get; set; }

    public ErrorCode ErrorCode { get; set; }

    /// <summary>v5+.</summary>
    public string? ProtocolType { get; set; }

    /// <summary>v5+.</summary>
    public string? ProtocolName { get; set; }

    /// <summary>Opaque assignment bytes; empty on error.</summary>
    public byte[] Assignment { get; set; } = [];

    public static SyncGroupResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("SyncGroupResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new SyncGroupResponse();
        if (version >= 1)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        response.ErrorCode = (ErrorCode)reader.ReadInt16();
        if (version >= 5)
        {
            response.ProtocolType = reader.ReadNullableString(flexible);
            response.ProtocolName = reader.ReadNullableString(flexible);
        }
        response.Assignment = GroupMessageIo.ReadBytesCopy(ref reader, flexible);
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("SyncGroupResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("SyncGroupResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }
        writer.WriteInt16((short)ErrorCode);
        if (version >= 5)
        {
            writer.WriteNullableString(ProtocolType, flexible);
            writer.WriteNullableString(ProtocolName, flexible);
        }
        writer.WriteBytes(Assignment, flexible);
        writer.WriteEmptyTaggedFields(flexible);
    }
}
