using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>InitProducerId response (key 22), versions 0-4: the same four fields in every version.</summary>
public sealed class InitProducerIdResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 4;
    public const short FirstFlexibleVersion = 2;

    public int ThrottleTimeMs { get; set; }

    public ErrorCode ErrorCode { get; set; }

    public long ProducerId { get; set; } = -1;

    public short ProducerEpoch { get; set; } = -1;

    public static InitProducerIdResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("InitProducerIdResponse", version, MinVersion, MaxVersion);
        var response = new InitProducerIdResponse
        {
            ThrottleTimeMs = reader.ReadInt32(),
            ErrorCode = (ErrorCode)reader.ReadInt16(),
            ProducerId = reader.ReadInt64(),
            ProducerEpoch = reader.ReadInt16(),
        };
        if (version >= FirstFlexibleVersion)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("InitProducerIdResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("InitProducerIdResponse", version, MinVersion, MaxVersion);
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteInt16((short)ErrorCode);
        writer.WriteInt64(ProducerId);
        writer.WriteInt16(ProducerEpoch);
        writer.WriteEmptyTaggedFields(version >= FirstFlexibleVersion);
    }
}
