using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>ApiVersions request (key 18), versions 0-3: empty body before v3; v3 adds the client software name/version.</summary>
public sealed class ApiVersionsRequest
{
    public const short MinVersion = 0;
    public const short MaxVersion = 3;
    public const short FirstFlexibleVersion = 3;

    /// <summary>v3+; empty in earlier versions.</summary>
    public string ClientSoftwareName { get; set; } = "";

    /// <summary>v3+; empty in earlier versions.</summary>
    public string ClientSoftwareVersion { get; set; } = "";

    public static ApiVersionsRequest Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("ApiVersionsRequest", version, MinVersion, MaxVersion);
        var request = new ApiVersionsRequest();
        if (version >= 3)
        {
            request.ClientSoftwareName = reader.ReadString(flexible: true);
            request.ClientSoftwareVersion = reader.ReadString(flexible: true);
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("ApiVersionsRequest");
        return request;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("ApiVersionsRequest", version, MinVersion, MaxVersion);
        if (version >= 3)
        {
            writer.WriteString(ClientSoftwareName, flexible: true);
            writer.WriteString(ClientSoftwareVersion, flexible: true);
            writer.WriteEmptyTaggedFields(flexible: true);
        }
    }
}
