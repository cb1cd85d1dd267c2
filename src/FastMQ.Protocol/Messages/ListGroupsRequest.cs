using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>ListGroups request (key 16), versions 0-5: optional state (v4+) and type (v5+) filters; empty = all.</summary>
public sealed class ListGroupsRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 5;
    public const short FirstFlexibleVersion = 3;

    /// <summary>v4+: group state names, e.g. <c>Stable</c>, <c>Empty</c> (Kafka matches them case-insensitively).</summary>
    public List<string> StatesFilter { get; } = [];

    /// <summary>v5+: group type names, e.g. <c>classic</c>, <c>consumer</c>.</summary>
    public List<string> TypesFilter { get; } = [];

    public static ListGroupsRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("ListGroupsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new ListGroupsRequest();
        if (version >= 4)
        {
            request.StatesFilter.AddRange(MessageIo.ReadStringArray(ref reader, flexible));
        }
        if (version >= 5)
        {
            request.TypesFilter.AddRange(MessageIo.ReadStringArray(ref reader, flexible));
        }
        GroupMessageIo.SkipTags(ref reader, flexible);
        reader.EnsureEnd("ListGroupsRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("ListGroupsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 4)
        {
            MessageIo.WriteStringArray(ref writer, StatesFilter, flexible);
        }
        if (version >= 5)
        {
            MessageIo.WriteStringArray(ref writer, TypesFilter, flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }
}
