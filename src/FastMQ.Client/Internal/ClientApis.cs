using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Internal;

/// <summary>
/// The APIs and versions this client can encode, taken from the FastMQ.Protocol codecs, with each one's first
/// flexible version (which decides the request and response header versions).
/// </summary>
/// <remarks>
/// Lower ends are raised where older versions mean something this client does not do: Produce and Fetch below 3 and
/// 4 carry the old message formats, and Metadata v0 cannot ask for "brokers only".
/// </remarks>
internal static class ClientApis
{
    /// <summary>The client side of version negotiation.</summary>
    public static ApiVersionsTable Table { get; } = new(
    [
        new ApiVersionRange(ApiKey.Produce, 3, ProduceRequest.MaxVersion, ProduceRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.Fetch, FetchRequest.MinVersion, FetchRequest.MaxVersion, FetchRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.ListOffsets, ListOffsetsRequest.MinVersion, ListOffsetsRequest.MaxVersion,
            ListOffsetsRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.Metadata, 1, MetadataRequest.MaxVersion, MetadataRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.ApiVersions, ApiVersionsRequest.MinVersion, ApiVersionsRequest.MaxVersion,
            ApiVersionsRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.CreateTopics, CreateTopicsRequest.MinVersion, CreateTopicsRequest.MaxVersion,
            CreateTopicsRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.DeleteTopics, DeleteTopicsRequest.MinVersion, DeleteTopicsRequest.MaxVersion,
            DeleteTopicsRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.DescribeConfigs, DescribeConfigsRequest.MinVersion, DescribeConfigsRequest.MaxVersion,
            DescribeConfigsRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.CreatePartitions, CreatePartitionsRequest.MinVersion, CreatePartitionsRequest.MaxVersion,
            CreatePartitionsRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.FindCoordinator, FindCoordinatorRequest.MinVersion, FindCoordinatorRequest.MaxVersion,
            FindCoordinatorRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.ListGroups, ListGroupsRequest.MinVersion, ListGroupsRequest.MaxVersion,
            ListGroupsRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.DescribeGroups, DescribeGroupsRequest.MinVersion, DescribeGroupsRequest.MaxVersion,
            DescribeGroupsRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.DeleteGroups, DeleteGroupsRequest.MinVersion, DeleteGroupsRequest.MaxVersion,
            DeleteGroupsRequest.FirstFlexibleVersion),
        // OffsetFetch from v2: "all topics of the group" (a null topic list) needs it.
        new ApiVersionRange(ApiKey.OffsetFetch, 2, OffsetFetchRequest.MaxVersion, OffsetFetchRequest.FirstFlexibleVersion),
        new ApiVersionRange(ApiKey.OffsetCommit, OffsetCommitRequest.MinVersion, OffsetCommitRequest.MaxVersion,
            OffsetCommitRequest.FirstFlexibleVersion),
        // The idempotent producer asks for its producer id and epoch once per session.
        new ApiVersionRange(ApiKey.InitProducerId, InitProducerIdRequest.MinVersion, InitProducerIdRequest.MaxVersion,
            InitProducerIdRequest.FirstFlexibleVersion),
    ]);

    /// <summary>Request header v2 (with tagged fields) for flexible versions, else v1.</summary>
    public static bool IsFlexibleRequest(ApiKey apiKey, short version) => Table.IsFlexible(apiKey, version);

    /// <summary>Response header v1 for flexible versions, except ApiVersions, whose responses always use v0 (KIP-511).</summary>
    public static bool IsFlexibleResponse(ApiKey apiKey, short version) =>
        ResponseHeader.IsFlexible(apiKey, version, Table);
}
