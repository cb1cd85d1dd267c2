using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>DeleteGroups response (key 42), versions 0-2: one result per group (NON_EMPTY_GROUP while members remain).</summary>
public sealed class DeleteGroupsResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 2;
    public const short FirstFlexibleVersion = 2;

    public int ThrottleTimeMs { get; set; }

    public List<Result> Results { get; } = [];

    public static DeleteGroupsResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("DeleteGroupsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new DeleteGroupsResponse { ThrottleTimeMs = reader.ReadInt32() };
        int count = reader.ReadArrayCount(flexible, 4); // classic 2 + 2; flexible 1 + 2 + tags 1
        for (int i = 0; i < count; i++)
        {
            var result = new Result { GroupId = reader.ReadString(flexible), ErrorCode = (ErrorCode)reader.ReadInt16() };
            GroupMessageIo.SkipTags(ref reader, flexible);
            response.Results.Add(result);
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("DeleteGroupsResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("DeleteGroupsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArrayCount(Results.Count, flexible);
        foreach (Result result in Results)
        {
            writer.WriteString(result.GroupId, flexible);
            writer.WriteInt16((short)result.ErrorCode);
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Result
    {
        public string GroupId { get; set; } = "";

        public ErrorCode ErrorCode { get; set; }
    }
}
