using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>DescribeConfigs request (key 32), versions 1-4.</summary>
public sealed class DescribeConfigsRequest
{
    public const short MinVersion = 1;
    public const short MaxVersion = 4;
    public const short FirstFlexibleVersion = 4;

    /// <summary>Resource type of a topic.</summary>
    public const sbyte TopicResourceType = 2;

    /// <summary>Resource type of a broker.</summary>
    public const sbyte BrokerResourceType = 4;

    public List<Resource> Resources { get; } = [];

    public bool IncludeSynonyms { get; set; }

    /// <summary>v3+.</summary>
    public bool IncludeDocumentation { get; set; }

    public static DescribeConfigsRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("DescribeConfigsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var request = new DescribeConfigsRequest();
        int resources = reader.ReadArrayCount(flexible, flexible ? 4 : 7);
        for (int i = 0; i < resources; i++)
        {
            var resource = new Resource
            {
                ResourceType = reader.ReadInt8(),
                ResourceName = reader.ReadString(flexible),
                ConfigurationKeys = MessageIo.ReadNullableStringArray(ref reader, flexible),
            };
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
            request.Resources.Add(resource);
        }
        request.IncludeSynonyms = reader.ReadBoolean();
        if (version >= 3)
        {
            request.IncludeDocumentation = reader.ReadBoolean();
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("DescribeConfigsRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("DescribeConfigsRequest", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteArrayCount(Resources.Count, flexible);
        foreach (Resource resource in Resources)
        {
            writer.WriteInt8(resource.ResourceType);
            writer.WriteString(resource.ResourceName, flexible);
            MessageIo.WriteStringArray(ref writer, resource.ConfigurationKeys, flexible);
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteBoolean(IncludeSynonyms);
        if (version >= 3)
        {
            writer.WriteBoolean(IncludeDocumentation);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    public sealed class Resource
    {
        public sbyte ResourceType { get; set; }

        public string ResourceName { get; set; } = "";

        /// <summary>Null = all keys.</summary>
        public List<string>? ConfigurationKeys { get; set; }
    }
}
