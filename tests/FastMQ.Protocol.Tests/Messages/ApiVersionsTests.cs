using System;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages;

public class ApiVersionsTests
{
    // The advertised ranges of kafka-protocol.md §2.1: key, min, max, first flexible.
    private static readonly (ApiKey Key, short Min, short Max, short Flex)[] Expected =
    [
        (ApiKey.Produce, 0, 11, 9),
        (ApiKey.Fetch, 4, 12, 12),
        (ApiKey.ListOffsets, 1, 7, 6),
        (ApiKey.Metadata, 0, 12, 9),
        (ApiKey.ApiVersions, 0, 3, 3),
        (ApiKey.CreateTopics, 2, 7, 5),
        (ApiKey.DeleteTopics, 1, 6, 4),
        (ApiKey.DeleteRecords, 0, 2, 2),
        (ApiKey.InitProducerId, 0, 4, 2),
        (ApiKey.OffsetForLeaderEpoch, 2, 4, 4),
        (ApiKey.DescribeConfigs, 1, 4, 4),
        (ApiKey.CreatePartitions, 0, 3, 2),
    ];

    // Goal: the default table advertises exactly the §2.1 ranges, in key order, and nothing else.
    [Fact]
    public void DefaultTableMatchesSection2_1()
    {
        ReadOnlySpan<ApiVersionRange> entries = ApiVersionsTable.Default.Entries;
        Assert.Equal(Expected.Length, entries.Length);
        for (int i = 0; i < Expected.Length; i++)
        {
            Assert.Equal(Expected[i].Key, entries[i].ApiKey);
            Assert.Equal(Expected[i].Min, entries[i].MinVersion);
            Assert.Equal(Expected[i].Max, entries[i].MaxVersion);
            Assert.Equal(Expected[i].Flex, entries[i].FirstFlexibleVersion);
        }
        Assert.False(ApiVersionsTable.Default.TryGet(ApiKey.ConsumerGroupHeartbeat, out _));
        Assert.False(ApiVersionsTable.Default.TryGet(ApiKey.GetTelemetrySubscriptions, out _));
    }

    // Goal: Produce 0-2 are advertised (old librdkafka's compression probe) but not served; 3-11 are served.
    [Fact]
    public void ProduceZeroToTwoAdvertisedButNotServed()
    {
        ApiVersionRange produce = ApiVersionsTable.Default.Get(ApiKey.Produce);
        for (short v = 0; v <= 2; v++)
        {
            Assert.True(produce.IsAdvertised(v));
            Assert.False(ApiVersionsTable.Default.IsServed(ApiKey.Produce, v));
        }
        for (short v = 3; v <= 11; v++)
        {
            Assert.True(ApiVersionsTable.Default.IsServed(ApiKey.Produce, v));
        }
        Assert.False(ApiVersionsTable.Default.IsServed(ApiKey.Produce, 12));
        Assert.False(ApiVersionsTable.Default.IsServed(ApiKey.Fetch, 3));
    }

    // Goal: every advertised range lies inside what the codecs implement, with the same first flexible version.
    [Fact]
    public void TableRangesAreCoveredByCodecs()
    {
        (ApiKey, short, short, short)[] codecs =
        [
            (ApiKey.Produce, ProduceRequestReader.MinVersion, ProduceRequestReader.MaxVersion, ProduceRequestReader.FirstFlexibleVersion),
            (ApiKey.Fetch, FetchRequestReader.MinVersion, FetchRequestReader.MaxVersion, FetchRequestReader.FirstFlexibleVersion),
            (ApiKey.ListOffsets, ListOffsetsRequest.MinVersion, ListOffsetsRequest.MaxVersion, ListOffsetsRequest.FirstFlexibleVersion),
            (ApiKey.Metadata, MetadataRequest.MinVersion, MetadataRequest.MaxVersion, MetadataRequest.FirstFlexibleVersion),
            (ApiKey.ApiVersions, ApiVersionsRequest.MinVersion, ApiVersionsRequest.MaxVersion, ApiVersionsRequest.FirstFlexibleVersion),
            (ApiKey.CreateTopics, CreateTopicsRequest.MinVersion, CreateTopicsRequest.MaxVersion, CreateTopicsRequest.FirstFlexibleVersion),
            (ApiKey.DeleteTopics, DeleteTopicsRequest.MinVersion, DeleteTopicsRequest.MaxVersion, DeleteTopicsRequest.FirstFlexibleVersion),
            (ApiKey.DeleteRecords, DeleteRecordsRequest.MinVersion, DeleteRecordsRequest.MaxVersion, DeleteRecordsRequest.FirstFlexibleVersion),
            (ApiKey.InitProducerId, InitProducerIdRequest.MinVersion, InitProducerIdRequest.MaxVersion, InitProducerIdRequest.FirstFlexibleVersion),
            (ApiKey.OffsetForLeaderEpoch, OffsetForLeaderEpochRequest.MinVersion, OffsetForLeaderEpochRequest.MaxVersion, OffsetForLeaderEpochRequest.FirstFlexibleVersion),
            (ApiKey.DescribeConfigs, DescribeConfigsRequest.MinVersion, DescribeConfigsRequest.MaxVersion, DescribeConfigsRequest.FirstFlexibleVersion),
            (ApiKey.CreatePartitions, CreatePartitionsRequest.MinVersion, CreatePartitionsRequest.MaxVersion, CreatePartitionsRequest.FirstFlexibleVersion),
        ];
        foreach ((ApiKey key, short min, short max, short flex) in codecs)
        {
            ApiVersionRange range = ApiVersionsTable.Default.Get(key);
            Assert.True(range.MinVersion >= min && range.MaxVersion <= max, $"{key} advertises beyond its codec");
            Assert.Equal(flex, range.FirstFlexibleVersion);
        }
    }

    // Goal: the table rejects duplicates and inverted ranges, so a bad one-line addition fails at startup.
    [Fact]
    public void TableRejectsBadEntries()
    {
        Assert.Throws<ArgumentException>(() => new ApiVersionsTable([
            new ApiVersionRange(ApiKey.Fetch, 4, 12, 12), new ApiVersionRange(ApiKey.Fetch, 4, 11, 12)]));
        Assert.Throws<ArgumentException>(() => new ApiVersionsTable([new ApiVersionRange(ApiKey.Fetch, 5, 4, 12)]));
        var extended = new ApiVersionsTable([.. ApiVersionsTable.Default.Entries.ToArray(),
            new ApiVersionRange(ApiKey.FindCoordinator, 0, 4, 3)]);
        Assert.True(extended.IsFlexible(ApiKey.FindCoordinator, 3));
        Assert.Equal(ApiKey.FindCoordinator, extended.Entries[4].ApiKey); // kept in key order
    }

    private static WireBuilder DefaultEntries(WireBuilder b, bool flexible)
    {
        foreach ((ApiKey key, short min, short max, _) in Expected)
        {
            b.I16((short)key).I16(min).I16(max);
            if (flexible)
            {
                b.NoTags();
            }
        }
        return b;
    }

    // Goal: a v0 response frame matches the schema byte for byte: size, header v0, error, entries, no throttle.
    [Fact]
    public void V0ResponseMatchesHandBuiltFixture()
    {
        var body = new WireBuilder().I32(77).I16(0).Arr(Expected.Length);
        byte[] expected = DefaultEntries(body, flexible: false).ToFrame();
        byte[] actual = Codec.Encode(static (ref KafkaWriter w) =>
            ApiVersionsResponse.WriteResponse(ref w, 77, 0, ApiVersionsTable.Default));
        Assert.Equal(expected, actual);
    }

    // Goal: a v3 response is flexible in the body (compact array, per-entry and trailing tags, throttle) but keeps
    // response header v0 (no header tag byte).
    [Fact]
    public void V3ResponseMatchesHandBuiltFixture()
    {
        var body = new WireBuilder().I32(78).I16(0).CArr(Expected.Length);
        byte[] expected = DefaultEntries(body, flexible: true).I32(0).NoTags().ToFrame();
        byte[] actual = Codec.Encode(static (ref KafkaWriter w) =>
            ApiVersionsResponse.WriteResponse(ref w, 78, 3, ApiVersionsTable.Default));
        Assert.Equal(expected, actual);
        Assert.False(ResponseHeader.IsFlexible(ApiKey.ApiVersions, 3, ApiVersionsTable.Default));
    }

    // Goal: §2.2 fallback: a version above 3 gets header v0 and a v0 body with UNSUPPORTED_VERSION and only the
    // ApiVersions entry (18, 0, 3), whatever version was asked.
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(short.MaxValue)]
    public void UnknownVersionGetsV0Fallback(short requested)
    {
        byte[] expected = new WireBuilder().I32(9).I16(35).Arr(1).I16(18).I16(0).I16(3).ToFrame();
        byte[] actual = Codec.Encode((ref KafkaWriter w) =>
            ApiVersionsResponse.WriteResponse(ref w, 9, requested, ApiVersionsTable.Default));
        Assert.Equal(expected, actual);
        ApiVersionsResponse parsed = Codec.Decode(actual.AsSpan(8).ToArray(),
            static (ref KafkaReader r) => ApiVersionsResponse.Read(ref r, 0));
        Assert.Equal(ErrorCode.UnsupportedVersion, parsed.ErrorCode);
        Assert.Equal(new ApiVersionRange(ApiKey.ApiVersions, 0, 3, ApiVersionRange.NeverFlexible), parsed.ApiKeys[0]);
    }

    // Goal: requests of every version round-trip; v3 carries the client software fields, v0-2 an empty body.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RequestRoundTrips(short version)
    {
        var request = new ApiVersionsRequest { ClientSoftwareName = "librdkafka", ClientSoftwareVersion = "2.0.2" };
        byte[] bytes = Codec.Encode((ref KafkaWriter w) => request.Write(ref w, version));
        ApiVersionsRequest back = Codec.Decode(bytes, (ref KafkaReader r) => ApiVersionsRequest.Read(ref r, version));
        if (version < 3)
        {
            Assert.Empty(bytes);
            Assert.Equal("", back.ClientSoftwareName);
        }
        else
        {
            Assert.Equal(new WireBuilder().CStr("librdkafka").CStr("2.0.2").NoTags().ToArray(), bytes);
            Assert.Equal("librdkafka", back.ClientSoftwareName);
            Assert.Equal("2.0.2", back.ClientSoftwareVersion);
        }
    }

    // Goal: responses of every version round-trip through the class form and equal the table writer's bytes.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ResponseRoundTrips(short version)
    {
        byte[] fromTable = Codec.Encode((ref KafkaWriter w) =>
            ApiVersionsResponse.WriteBody(ref w, version, ErrorCode.None, ApiVersionsTable.Default, 5));
        ApiVersionsResponse parsed = Codec.Decode(fromTable, (ref KafkaReader r) => ApiVersionsResponse.Read(ref r, version));
        Assert.Equal(Expected.Length, parsed.ApiKeys.Count);
        Assert.Equal(version >= 1 ? 5 : 0, parsed.ThrottleTimeMs);
        Assert.Equal(ApiKey.CreatePartitions, parsed.ApiKeys[^1].ApiKey);
        byte[] again = Codec.Encode((ref KafkaWriter w) => parsed.Write(ref w, version));
        Assert.Equal(fromTable, again);
        Codec.AssertEveryTruncationRejected(fromTable, (ref KafkaReader r) => ApiVersionsResponse.Read(ref r, version));
    }

    // Goal: a v3 response carrying tagged feature fields (as Kafka brokers send) is read, skipping the tags.
    [Fact]
    public void V3ResponseWithFeatureTagsIsRead()
    {
        byte[] bytes = new WireBuilder().I16(0).CArr(1).I16(0).I16(0).I16(11).NoTags().I32(0)
            .UVarint(1).UVarint(1).UVarint(8).I64(-1).ToArray();
        ApiVersionsResponse parsed = Codec.Decode(bytes, static (ref KafkaReader r) => ApiVersionsResponse.Read(ref r, 3));
        Assert.Equal(11, parsed.ApiKeys[0].MaxVersion);
    }
}
