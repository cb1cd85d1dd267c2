using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>DescribeGroups request (key 15), versions 0-5.</summary>
public sealed class DescribeGroupsRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 5;
    public const short FirstFlexibleVersion = 5;

    public List<string> Groups { get; } = [];

    /// <summary>v3+.</summary>
    public bool IncludeAuthorizedOperations { get; set; }

    public static DescribeGroupsRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("DescribeGroupsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new DescribeGroupsRequest();
        request.Groups.AddRange(MessageIo.ReadStringArray(ref reader, flexible));
        if (version >= 3)
        {
            request.IncludeAuthorizedOperations = reader.ReadBoolean();
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("DescribeGroupsRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("DescribeGroupsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        MessageIo.WriteStringArray(ref writer, Groups, flexible);
        if (version >= 3)
        {
            writer.WriteBoolean(IncludeAuthorizedOperations);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }
}
