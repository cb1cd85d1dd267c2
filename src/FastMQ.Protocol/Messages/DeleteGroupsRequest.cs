using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>DeleteGroups request (key 42), versions 0-2.</summary>
public sealed class DeleteGroupsRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 2;
    public const short FirstFlexibleVersion = 2;

    /// <summary>The schema's <c>GroupsNames</c>: ids of the groups to delete.</summary>
    public List<string> GroupsNames { get; } = [];

    public static DeleteGroupsRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("DeleteGroupsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new DeleteGroupsRequest();
        request.GroupsNames.AddRange(MessageIo.ReadStringArray(ref reader, flexible));
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("DeleteGroupsRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("DeleteGroupsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        MessageIo.WriteStringArray(ref writer, GroupsNames, flexible);
        writer.WriteEmptyTaggedFields(flexible);
    }
}
