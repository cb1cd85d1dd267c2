using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>InitProducerId request (key 22), versions 0-4.</summary>
public sealed class InitProducerIdRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 4;
    public const short FirstFlexibleVersion = 2;

    /// <summary>Null for an idempotent (non-transactional) producer.</summary>
    public string? TransactionalId { get; set; }

    public int TransactionTimeoutMs { get; set; }

    /// <summary>v3+: the producer's current id when asking for an epoch bump (KIP-360), else -1.</summary>
    public long ProducerId { get; set; } = -1;

    /// <summary>v3+: the producer's current epoch, else -1.</summary>
    public short ProducerEpoch { get; set; } = -1;

    public static InitProducerIdRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("InitProducerIdRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new InitProducerIdRequest
        {
            TransactionalId = reader.ReadNullableString(flexible),
            TransactionTimeoutMs = reader.ReadInt32(),
        };
        if (version >= 3)
        {
            request.ProducerId = reader.ReadInt64();
            request.ProducerEpoch = reader.ReadInt16();
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("InitProducerIdRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("InitProducerIdRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteNullableString(TransactionalId, flexible);
        writer.WriteInt32(TransactionTimeoutMs);
        if (version >= 3)
        {
            writer.WriteInt64(ProducerId);
            writer.WriteInt16(ProducerEpoch);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }
}
