using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>Heartbeat response (key 12), versions 0-4: REBALANCE_IN_PROGRESS tells the member to re-join.</summary>
public sealed class HeartbeatResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 4;
    public const short FirstFlexibleVersion = 4;

    /// <summary>v1+.</summary>
    public int ThrottleTimeMs { get; set; }

    public ErrorCode ErrorCode { get; set; }

    public static HeartbeatResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("HeartbeatResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new HeartbeatResponse();
        if (version >= 1)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        response.ErrorCode = (ErrorCode)reader.ReadInt16();
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("HeartbeatResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("HeartbeatResponse", version, MinVersion, MaxVersion);
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }
        writer.WriteInt16((short)ErrorCode);
        writer.WriteEmptyTaggedFields(version >= FirstFlexibleVersion);
    }
}
