using System;
using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>DeleteTopics response (key 20), versions 1-6.</summary>
public sealed class DeleteTopicsResponse
{
    public const short MinVersion = 1;
    public const short MaxVersion = 6;
    public const short FirstFlexibleVersion = 4;

    public int ThrottleTimeMs { get; set; }

    public List<Result> Responses { get; } = [];

    public static DeleteTopicsResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("DeleteTopicsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new DeleteTopicsResponse { ThrottleTimeMs = reader.ReadInt32() };
        int count = reader.ReadArrayCount(flexible, flexible ? 3 : 4);
        for (int i = 0; i < count; i++)
        {
            var result = new Result { Name = version >= 6 ? reader.ReadNullableString(flexible) : reader.ReadString(flexible) };
            if (version >= 6)
            {
                result.TopicId = reader.ReadUuid();
            }
            result.ErrorCode = (ErrorCode)reader.ReadInt16();
            if (version >= 5)
            {
                result.ErrorMessage = reader.ReadNullableString(flexible);
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
            response.Responses.Add(result);
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("DeleteTopicsResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("DeleteTopicsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArrayCount(Responses.Count, flexible);
        foreach (Result result in Responses)
        {
            if (version >= 6)
            {
                writer.WriteNullableString(result.Name, flexible);
                writer.WriteUuid(result.TopicId);
            }
            else
            {
                writer.WriteString(result.Name ?? throw new ArgumentException("Topic name is required before v6."), flexible);
            }
            writer.WriteInt16((short)result.ErrorCode);
            if (version >= 5)
            {
                writer.WriteNullableString(result.ErrorMessage, flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Result
    {
        /// <summary>Null only from v6.</summary>
        public string? Name { get; set; }

        /// <summary>v6+.</summary>
        public Guid TopicId { get; set; }

        public ErrorCode ErrorCode { get; set; }

        /// <summary>v5+.</summary>
        public string? ErrorMessage { get; set; }
    }
}
