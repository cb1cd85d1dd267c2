using System;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages.Groups;

/// <summary>
/// Malformed input for the consumer-group codecs: forged array counts, versions out of range, nulls where the schema
/// forbids them, trailing bytes; and the one leniency the protocol demands, unknown tagged fields.
/// </summary>
public class GroupMalformedInputTests
{
    private const uint HugeCompact = uint.MaxValue; // compact count 2^32 - 2

    // Goal: a forged top-level or nested array count (classic INT32 2^31-1, or compact varint 2^32-1) is refused
    // before anything is sized from it. Method: bodies valid up to the count; allocation measured around the decode.
    [Fact]
    public void HugeArrayCountsAreRefusedWithoutAllocating()
    {
        GroupCodec.AssertHugeCountRefused(new WireBuilder().Str("g").I32(1).I32(1).Str("").NullStr().Str("consumer").Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => JoinGroupRequest.Read(ref r, 5));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I32(0).I16(0).I32(1).CNullStr().CStr("range").CStr("m").Bool(false).CStr("m").UVarint(HugeCompact).ToArray(),
            (ref KafkaReader r) => JoinGroupResponse.Read(ref r, 9));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().Str("g").I32(1).Str("m").NullStr().Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => SyncGroupRequest.Read(ref r, 3));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I8(0).UVarint(HugeCompact).ToArray(),
            (ref KafkaReader r) => FindCoordinatorRequest.Read(ref r, 4));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I32(0).UVarint(HugeCompact).ToArray(),
            (ref KafkaReader r) => FindCoordinatorResponse.Read(ref r, 4));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().Str("g").Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => LeaveGroupRequest.Read(ref r, 3));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I32(0).I16(0).Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => LeaveGroupResponse.Read(ref r, 3));
        // Nested: one topic whose partition count is forged.
        GroupCodec.AssertHugeCountRefused(new WireBuilder().Str("g").I32(1).Str("m").NullStr().Arr(1).Str("t").Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => OffsetCommitRequest.Read(ref r, 7));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I32(0).Arr(1).Str("t").Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => OffsetCommitResponse.Read(ref r, 7));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().UVarint(HugeCompact).ToArray(),
            (ref KafkaReader r) => OffsetFetchRequest.Read(ref r, 9));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().CStr("g").CArr(1).CStr("t").UVarint(HugeCompact).ToArray(),
            (ref KafkaReader r) => OffsetFetchRequest.Read(ref r, 7));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I32(0).CArr(1).CStr("t").UVarint(HugeCompact).ToArray(),
            (ref KafkaReader r) => OffsetFetchResponse.Read(ref r, 7));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => DescribeGroupsRequest.Read(ref r, 4));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I32(0).Arr(1).I16(0).Str("g").Str("Stable").Str("consumer").Str("range").Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => DescribeGroupsResponse.Read(ref r, 4));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().UVarint(HugeCompact).ToArray(),
            (ref KafkaReader r) => ListGroupsRequest.Read(ref r, 5));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I32(0).I16(0).Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => ListGroupsResponse.Read(ref r, 2));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => DeleteGroupsRequest.Read(ref r, 1));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I32(0).UVarint(HugeCompact).ToArray(),
            (ref KafkaReader r) => DeleteGroupsResponse.Read(ref r, 2));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().Str("g").Arr(1).Str("t").Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => OffsetDeleteRequest.Read(ref r, 0));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I16(0).I32(0).Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => OffsetDeleteResponse.Read(ref r, 0));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I16(1).Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => ConsumerProtocolSubscription.Read(ref r));
        GroupCodec.AssertHugeCountRefused(new WireBuilder().I16(0).Arr(1).Str("t").Arr(int.MaxValue).ToArray(),
            (ref KafkaReader r) => ConsumerProtocolAssignment.Read(ref r));
    }

    // Goal: a plausible count (1000 partitions) with the data missing fails as truncated input, still without
    // sizing anything from the count beyond the capped pre-allocation.
    [Fact]
    public void PlausibleCountWithMissingDataIsTruncation()
    {
        byte[] body = new WireBuilder().I32(0).Arr(1).Str("t").Arr(1000).I32(0).I16(0).ToArray();
        KafkaProtocolException e = Assert.Throws<KafkaProtocolException>(
            () => Codec.Decode(body, (ref KafkaReader r) => OffsetCommitResponse.Read(ref r, 7)));
        Assert.Contains("Array count 1000", e.Message, StringComparison.Ordinal);
    }

    // Goal: versions outside each codec's range are refused on read and on write, naming the message and range.
    [Fact]
    public void VersionsOutOfRangeAreRefused()
    {
        byte[] any = new byte[64];
        (Action Read, Action Write)[] cases =
        [
            (() => Codec.Decode(any, (ref KafkaReader r) => FindCoordinatorRequest.Read(ref r, 5)),
                () => Codec.Encode((ref KafkaWriter w) => new FindCoordinatorResponse().Write(ref w, 5))),
            (() => Codec.Decode(any, (ref KafkaReader r) => JoinGroupRequest.Read(ref r, 10)),
                () => Codec.Encode((ref KafkaWriter w) => new JoinGroupResponse().Write(ref w, -1))),
            (() => Codec.Decode(any, (ref KafkaReader r) => SyncGroupResponse.Read(ref r, 6)),
                () => Codec.Encode((ref KafkaWriter w) => new SyncGroupRequest().Write(ref w, 6))),
            (() => Codec.Decode(any, (ref KafkaReader r) => HeartbeatResponse.Read(ref r, 5)),
                () => Codec.Encode((ref KafkaWriter w) => new HeartbeatRequest().Write(ref w, 5))),
            (() => Codec.Decode(any, (ref KafkaReader r) => LeaveGroupResponse.Read(ref r, 6)),
                () => Codec.Encode((ref KafkaWriter w) => new LeaveGroupRequest().Write(ref w, 6))),
            (() => Codec.Decode(any, (ref KafkaReader r) => OffsetCommitRequest.Read(ref r, 1)),
                () => Codec.Encode((ref KafkaWriter w) => new OffsetCommitResponse().Write(ref w, 10))),
            (() => Codec.Decode(any, (ref KafkaReader r) => OffsetFetchRequest.Read(ref r, 0)),
                () => Codec.Encode((ref KafkaWriter w) => new OffsetFetchResponse().Write(ref w, 10))),
            (() => Codec.Decode(any, (ref KafkaReader r) => ListGroupsResponse.Read(ref r, 6)),
                () => Codec.Encode((ref KafkaWriter w) => new ListGroupsRequest().Write(ref w, 6))),
            (() => Codec.Decode(any, (ref KafkaReader r) => DescribeGroupsResponse.Read(ref r, 6)),
                () => Codec.Encode((ref KafkaWriter w) => new DescribeGroupsRequest().Write(ref w, 6))),
            (() => Codec.Decode(any, (ref KafkaReader r) => DeleteGroupsResponse.Read(ref r, 3)),
                () => Codec.Encode((ref KafkaWriter w) => new DeleteGroupsRequest().Write(ref w, 3))),
            (() => Codec.Decode(any, (ref KafkaReader r) => OffsetDeleteRequest.Read(ref r, 1)),
                () => Codec.Encode((ref KafkaWriter w) => new OffsetDeleteResponse().Write(ref w, 1))),
        ];
        foreach ((Action read, Action write) in cases)
        {
            Assert.Contains("is not supported", Assert.Throws<KafkaProtocolException>(read).Message, StringComparison.Ordinal);
            Assert.Contains("is not supported", Assert.Throws<KafkaProtocolException>(write).Message, StringComparison.Ordinal);
        }
    }

    // Goal: null in a non-nullable field (group id, member id, topic name, protocol metadata) and trailing bytes
    // after a complete body are protocol errors, never silently accepted.
    [Fact]
    public void NullsAndTrailingBytesAreRefused()
    {
        AssertRefused(new WireBuilder().NullStr().I32(1).Str("m").NullStr().ToArray(), (ref KafkaReader r) => HeartbeatRequest.Read(ref r, 3));
        AssertRefused(new WireBuilder().CStr("g").I32(1).CNullStr().NoTags().ToArray(), (ref KafkaReader r) => HeartbeatRequest.Read(ref r, 4));
        AssertRefused(new WireBuilder().Str("g").I32(1).I32(1).Str("").NullStr().Str("consumer").Arr(1).Str("range").I32(-1).ToArray(),
            (ref KafkaReader r) => JoinGroupRequest.Read(ref r, 5));
        AssertRefused(new WireBuilder().I32(0).Arr(1).I16(0).NullStr().Str("Empty").Str("").Str("").Arr(0).I32(0).ToArray(),
            (ref KafkaReader r) => DescribeGroupsResponse.Read(ref r, 3));
        AssertRefused(new WireBuilder().I32(0).I16(0).I32(1).Str("range").Str("m").Str("m").Arr(0).I8(0).ToArray(),
            (ref KafkaReader r) => JoinGroupResponse.Read(ref r, 4));
        AssertRefused(new WireBuilder().Str("g").I32(1).Str("m").NullStr().Arr(1).NullStr().Arr(0).ToArray(),
            (ref KafkaReader r) => OffsetCommitRequest.Read(ref r, 7));
        AssertRefused(new WireBuilder().I32(0).I16(27).I8(0).ToArray(), (ref KafkaReader r) => HeartbeatResponse.Read(ref r, 3));
        AssertRefused(new WireBuilder().I32(0).I16(0).NoTags().NoTags().ToArray(), (ref KafkaReader r) => HeartbeatResponse.Read(ref r, 4));
    }

    // Goal: unknown tagged fields (newer clients) are skipped by size in request bodies and nested structs.
    [Fact]
    public void UnknownTaggedFieldsAreSkipped()
    {
        byte[] heartbeat = new WireBuilder().CStr("g").I32(2).CStr("m").CNullStr()
            .UVarint(2).UVarint(3).UVarint(2).Raw(0xAB, 0xCD).UVarint(40).UVarint(0).ToArray();
        HeartbeatRequest hb = Codec.Decode(heartbeat, (ref KafkaReader r) => HeartbeatRequest.Read(ref r, 4));
        Assert.Equal(("g", 2, "m"), (hb.GroupId, hb.GenerationId, hb.MemberId));

        byte[] leave = new WireBuilder().CStr("g").CArr(1).CStr("m").CNullStr().CStr("bye").UVarint(1).UVarint(7).UVarint(1).Raw(9)
            .NoTags().ToArray();
        LeaveGroupRequest lg = Codec.Decode(leave, (ref KafkaReader r) => LeaveGroupRequest.Read(ref r, 5));
        Assert.Equal("bye", Assert.Single(lg.Members).Reason);
    }

    private static void AssertRefused<T>(byte[] body, ReadBody<T> read) =>
        Assert.Throws<KafkaProtocolException>(() => Codec.Decode(body, read));
}
