using System;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages;

public class HeaderTests
{
    // Goal: request header v1 (non-flexible Metadata v4) parses key, version, correlation id, client id and length.
    [Fact]
    public void ParsesHeaderV1()
    {
        byte[] request = new WireBuilder().I16(3).I16(4).I32(1234).Str("rdkafka").Raw(0xAA).ToArray();
        RequestHeader header = RequestHeader.Read(request, ApiVersionsTable.Default);
        Assert.Equal(ApiKey.Metadata, header.ApiKey);
        Assert.Equal(4, header.ApiVersion);
        Assert.Equal(1234, header.CorrelationId);
        Assert.True(header.ClientId.SequenceEqual("rdkafka"u8));
        Assert.False(header.ClientIdIsNull);
        Assert.False(header.IsFlexible);
        Assert.True(header.IsKnownApi);
        Assert.Equal(8 + 2 + 7, header.Length);
    }

    // Goal: request header v2 (flexible Metadata v12) keeps the INT16 client id and skips the tag section,
    // including unknown tags, so the body starts right after it.
    [Fact]
    public void ParsesHeaderV2WithTags()
    {
        byte[] request = new WireBuilder().I16(3).I16(12).I32(-5).Str("app").UVarint(1).UVarint(9).UVarint(2).Raw(1, 2)
            .Raw(0xBB).ToArray();
        RequestHeader header = RequestHeader.Read(request, ApiVersionsTable.Default);
        Assert.True(header.IsFlexible);
        Assert.Equal(-5, header.CorrelationId);
        Assert.Equal("app", header.GetClientIdString());
        Assert.Equal(request.Length - 1, header.Length);
    }

    // Goal: ApiVersions v3 requests use header v2 although their responses use header v0.
    [Fact]
    public void ApiVersionsV3RequestUsesHeaderV2()
    {
        byte[] request = new WireBuilder().I16(18).I16(3).I32(1).NullStr().NoTags().ToArray();
        RequestHeader header = RequestHeader.Read(request, ApiVersionsTable.Default);
        Assert.True(header.IsFlexible);
        Assert.True(header.ClientIdIsNull);
        Assert.Null(header.GetClientIdString());
        Assert.Equal(request.Length, header.Length);
        Assert.False(ResponseHeader.IsFlexible(ApiKey.ApiVersions, 3, ApiVersionsTable.Default));
        Assert.True(ResponseHeader.IsFlexible(ApiKey.Metadata, 9, ApiVersionsTable.Default));
        Assert.False(ResponseHeader.IsFlexible(ApiKey.Metadata, 8, ApiVersionsTable.Default));
        Assert.True(ResponseHeader.IsFlexible(ApiKey.Fetch, 12, ApiVersionsTable.Default));
    }

    // Goal: an API missing from the table still yields key, version and correlation id so the broker can log and close.
    [Fact]
    public void UnknownApiIsReportedNotThrown()
    {
        byte[] request = new WireBuilder().I16(68).I16(0).I32(7).Str("c").NoTags().ToArray();
        RequestHeader header = RequestHeader.Read(request, ApiVersionsTable.Default);
        Assert.False(header.IsKnownApi);
        Assert.Equal(7, header.CorrelationId);
        Assert.Equal(ApiKey.ConsumerGroupHeartbeat, header.ApiKey);
    }

    // Goal: every truncated header is a protocol error.
    [Fact]
    public void TruncatedHeadersAreRejected()
    {
        byte[] request = new WireBuilder().I16(1).I16(12).I32(1).Str("consumer").NoTags().ToArray();
        Codec.AssertEveryTruncationRejected(request, static (ref KafkaReader r) =>
        {
            RequestHeader h = RequestHeader.Read(r.Buffer, ApiVersionsTable.Default);
            return h.Length == r.Length ? 0 : throw new KafkaProtocolException("short");
        });
    }

    // Goal: headers written by the client-side helper parse back identically in both versions.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WrittenHeaderParsesBack(bool flexible)
    {
        short version = flexible ? (short)12 : (short)11;
        byte[] bytes = Codec.Encode((ref KafkaWriter w) =>
            RequestHeader.Write(ref w, ApiKey.Fetch, version, 99, "kafkajs", flexible));
        RequestHeader header = RequestHeader.Read(bytes, ApiVersionsTable.Default);
        Assert.Equal(ApiKey.Fetch, header.ApiKey);
        Assert.Equal(version, header.ApiVersion);
        Assert.Equal(99, header.CorrelationId);
        Assert.Equal("kafkajs", header.GetClientIdString());
        Assert.Equal(bytes.Length, header.Length);
        Assert.Equal(flexible, header.IsFlexible);
    }

    // Goal: response frames carry the size of everything after the size field, header v1 adds one tag byte.
    [Fact]
    public void ResponseFrameSizeAndHeaders()
    {
        byte[] v0 = Codec.Encode(static (ref KafkaWriter w) =>
        {
            int slot = ResponseHeader.BeginFrame(ref w, 42, flexible: false);
            w.WriteInt16(0);
            Assert.Equal(10, ResponseHeader.EndFrame(ref w, slot));
        });
        Assert.Equal(new WireBuilder().I32(6).I32(42).I16(0).ToArray(), v0);
        byte[] v1 = Codec.Encode(static (ref KafkaWriter w) =>
        {
            int slot = ResponseHeader.BeginFrame(ref w, 42, flexible: true);
            ResponseHeader.EndFrame(ref w, slot);
        });
        Assert.Equal(new WireBuilder().I32(5).I32(42).NoTags().ToArray(), v1);
        var reader = new KafkaReader(v1.AsSpan(4));
        Assert.Equal(42, ResponseHeader.Read(ref reader, flexible: true));
        Assert.True(reader.IsAtEnd);
    }
}
