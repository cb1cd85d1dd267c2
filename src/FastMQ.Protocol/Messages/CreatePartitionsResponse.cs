using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>CreatePartitions response (key 37), versions 0-3.</summary>
public sealed class CreatePartitionsResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 3;
    public const short FirstFlexibleVersion = 2;

    public int ThrottleTimeMs { get; set; }

    public List<Result> Results { get; } = [];

    public static CreatePartitionsResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("CreatePartitionsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new CreatePartitionsResponse { ThrottleTimeMs = reader.ReadInt32() };
        int count = reader.ReadArrayCount(flexible, flexible ? 5 : 6);
        for (int i = 0; i < count; i++)
        {
            var result = new Result
            {
                Name = reader.ReadString(flexible),
                ErrorCode = (ErrorCode)reader.ReadInt16(),
                ErrorMessage = reader.ReadNullableString(flexible),
            };
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
            response.Results.Add(result);
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("CreatePartitionsResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("CreatePartitionsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArrayCount(Results.Count, flexible);
        foreach (Result result in Results)
        {
            writer.WriteString(result.Name, flexible);
            writer.WriteInt16((short)result.ErrorCode);
            writer.WriteNullableString(result.ErrorMessage, flexible);
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Result
    {
        public string Name { get; set; } = "";

        public ErrorCode ErrorCode { get; set; }

        public string? ErrorMessage { get; set; }
    }
}
