using System;
using System.Collections.Generic;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages;

public class MetadataTests
{
    private static readonly Guid TopicId = Guid.Parse("6f1b2a9e-0c3d-4e5f-8a7b-1c2d3e4f5a6b");

    public static IEnumerable<object[]> Versions()
    {
        for (short v = MetadataRequest.MinVersion; v <= MetadataRequest.MaxVersion; v++)
        {
            yield return [v];
        }
    }

    private static MetadataResponse Sample()
    {
        var response = new MetadataResponse { ThrottleTimeMs = 3, ClusterId = "fastmq-cluster", ControllerId = 1, ClusterAuthorizedOperations = 0x0F };
        response.Brokers.Add(new MetadataResponse.Broker { NodeId = 1, Host = "localhost", Port = 9092, Rack = "rack-a" });
        var topic = new MetadataResponse.Topic { Name = "orders", TopicId = TopicId, IsInternal = false, TopicAuthorizedOperations = 0x1F8 };
        topic.Partitions.Add(new MetadataResponse.Partition { PartitionIndex = 0, LeaderId = 1, LeaderEpoch = 0, ReplicaNodes = [1], IsrNodes = [1], OfflineReplicas = [] });
        topic.Partitions.Add(new MetadataResponse.Partition { ErrorCode = ErrorCode.LeaderNotAvailable, PartitionIndex = 1, LeaderId = -1, LeaderEpoch = 2, ReplicaNodes = [1, 2], IsrNodes = [2], OfflineReplicas = [1] });
        response.Topics.Add(topic);
        response.Topics.Add(new MetadataResponse.Topic { ErrorCode = ErrorCode.UnknownTopicOrPartition, Name = "missing" });
        return response;
    }

    // Goal: the v4 response (librdkafka 2.0.2's version) matches the schema byte for byte; method: hand-built fixture.
    [Fact]
    public void V4ResponseMatchesHandBuiltFixture()
    {
        var response = new MetadataResponse { ThrottleTimeMs = 0, ClusterId = "fastmq-cluster", ControllerId = 1 };
        response.Brokers.Add(new MetadataResponse.Broker { NodeId = 1, Host = "localhost", Port = 9092 });
        var topic = new MetadataResponse.Topic { Name = "orders" };
        topic.Partitions.Add(new MetadataResponse.Partition { PartitionIndex = 0, LeaderId = 1, LeaderEpoch = 0, ReplicaNodes = [1], IsrNodes = [1] });
        response.Topics.Add(topic);

        byte[] expected = new WireBuilder()
            .I32(0)                                                  // ThrottleTimeMs (3+)
            .Arr(1).I32(1).Str("localhost").I32(9092).NullStr()      // Brokers: NodeId, Host, Port, Rack (1+)
            .Str("fastmq-cluster")                                   // ClusterId (2+)
            .I32(1)                                                  // ControllerId (1+)
            .Arr(1).I16(0).Str("orders").Bool(false)                 // Topics: ErrorCode, Name, IsInternal (1+)
            .Arr(1).I16(0).I32(0).I32(1).Arr(1).I32(1).Arr(1).I32(1) // Partition: no LeaderEpoch (7+), no Offline (5+)
            .ToArray();
        byte[] actual = Codec.Encode((ref KafkaWriter w) => response.Write(ref w, 4));
        Assert.Equal(expected, actual);
    }

    // Goal: the v12 response (librdkafka 2.16, platformatic) matches the schema: compact forms, topic id, tags, no
    // cluster authorized operations (8-10 only).
    [Fact]
    public void V12ResponseMatchesHandBuiltFixture()
    {
        var response = new MetadataResponse { ThrottleTimeMs = 0, ClusterId = "fastmq-cluster", ControllerId = 1 };
        response.Brokers.Add(new MetadataResponse.Broker { NodeId = 1, Host = "localhost", Port = 9092 });
        var topic = new MetadataResponse.Topic { Name = "orders", TopicId = TopicId };
        topic.Partitions.Add(new MetadataResponse.Partition { PartitionIndex = 0, LeaderId = 1, LeaderEpoch = 0, ReplicaNodes = [1], IsrNodes = [1] });
        response.Topics.Add(topic);

        byte[] expected = new WireBuilder()
            .I32(0)
            .CArr(1).I32(1).CStr("localhost").I32(9092).CNullStr().NoTags()
            .CStr("fastmq-cluster")
            .I32(1)
            .CArr(1).I16(0).CStr("orders").Uuid(TopicId).Bool(false)
            .CArr(1).I16(0).I32(0).I32(1).I32(0).CArr(1).I32(1).CArr(1).I32(1).CArr(0).NoTags()
            .I32(int.MinValue).NoTags()                              // TopicAuthorizedOperations (8+), topic tags
            .NoTags()                                                // body tags
            .ToArray();
        byte[] actual = Codec.Encode((ref KafkaWriter w) => response.Write(ref w, 12));
        Assert.Equal(expected, actual);
        MetadataResponse back = Codec.Decode(expected, static (ref KafkaReader r) => MetadataResponse.Read(ref r, 12));
        Assert.Equal(TopicId, back.Topics[0].TopicId);
        Assert.Equal("localhost", back.Brokers[0].Host);
    }

    // Goal: requests as librdkafka sends them decode: v4 by name with auto-create, v12 with a null list (all topics).
    [Fact]
    public void RequestFixturesDecode()
    {
        byte[] v4 = new WireBuilder().Arr(1).Str("orders").Bool(true).ToArray();
        MetadataRequest r4 = Codec.Decode(v4, static (ref KafkaReader r) => MetadataRequest.Read(ref r, 4));
        Assert.Equal("orders", r4.Topics![0].Name);
        Assert.True(r4.AllowAutoTopicCreation);

        byte[] v12 = new WireBuilder().CArr(-1).Bool(false).Bool(false).NoTags().ToArray();
        MetadataRequest r12 = Codec.Decode(v12, static (ref KafkaReader r) => MetadataRequest.Read(ref r, 12));
        Assert.Null(r12.Topics);
        Assert.False(r12.AllowAutoTopicCreation);

        byte[] v12Named = new WireBuilder().CArr(1).Uuid(Guid.Empty).CStr("orders").NoTags().Bool(true).Bool(false).NoTags().ToArray();
        MetadataRequest named = Codec.Decode(v12Named, static (ref KafkaReader r) => MetadataRequest.Read(ref r, 12));
        Assert.Equal("orders", named.Topics![0].Name);

        byte[] v0All = new WireBuilder().Arr(0).ToArray();
        Assert.Null(Codec.Decode(v0All, static (ref KafkaReader r) => MetadataRequest.Read(ref r, 0)).Topics);
        byte[] v1None = new WireBuilder().Arr(0).ToArray();
        Assert.Empty(Codec.Decode(v1None, static (ref KafkaReader r) => MetadataRequest.Read(ref r, 1)).Topics!);
    }

    // Goal: every request version round-trips with its version-gated fields; method: encode, decode, re-encode.
    [Theory]
    [MemberData(nameof(Versions))]
    public void RequestRoundTrips(short version)
    {
        var request = new MetadataRequest
        {
            Topics = [new MetadataRequest.Topic { Name = "a" }, new MetadataRequest.Topic { Name = "bb" }],
            AllowAutoTopicCreation = false,
            IncludeClusterAuthorizedOperations = true,
            IncludeTopicAuthorizedOperations = true,
        };
        byte[] bytes = Codec.Encode((ref KafkaWriter w) => request.Write(ref w, version));
        MetadataRequest back = Codec.Decode(bytes, (ref KafkaReader r) => MetadataRequest.Read(ref r, version));
        Assert.Equal(["a", "bb"], back.Topics!.ConvertAll(t => t.Name));
        Assert.Equal(version < 4, back.AllowAutoTopicCreation);
        Assert.Equal(version is >= 8 and <= 10, back.IncludeClusterAuthorizedOperations);
        Assert.Equal(version >= 8, back.IncludeTopicAuthorizedOperations);
        Assert.Equal(bytes, Codec.Encode((ref KafkaWriter w) => back.Write(ref w, version)));
        Codec.AssertEveryTruncationRejected(bytes, (ref KafkaReader r) => MetadataRequest.Read(ref r, version));

        var all = new MetadataRequest { Topics = null };
        byte[] allBytes = Codec.Encode((ref KafkaWriter w) => all.Write(ref w, version));
        Assert.Null(Codec.Decode(allBytes, (ref KafkaReader r) => MetadataRequest.Read(ref r, version)).Topics);
    }

    // Goal: every response version round-trips; fields outside a version come back at their defaults.
    [Theory]
    [MemberData(nameof(Versions))]
    public void ResponseRoundTrips(short version)
    {
        MetadataResponse sample = Sample();
        byte[] bytes = Codec.Encode((ref KafkaWriter w) => sample.Write(ref w, version));
        MetadataResponse back = Codec.Decode(bytes, (ref KafkaReader r) => MetadataResponse.Read(ref r, version));

        Assert.Equal(version >= 3 ? 3 : 0, back.ThrottleTimeMs);
        Assert.Equal(version >= 1 ? "rack-a" : null, back.Brokers[0].Rack);
        Assert.Equal(version >= 2 ? "fastmq-cluster" : null, back.ClusterId);
        Assert.Equal(version >= 1 ? 1 : -1, back.ControllerId);
        Assert.Equal(version is >= 8 and <= 10 ? 0x0F : MetadataResponse.AuthorizedOperationsOmitted, back.ClusterAuthorizedOperations);
        MetadataResponse.Topic topic = back.Topics[0];
        Assert.Equal("orders", topic.Name);
        Assert.Equal(version >= 10 ? TopicId : Guid.Empty, topic.TopicId);
        Assert.Equal(version >= 8 ? 0x1F8 : MetadataResponse.AuthorizedOperationsOmitted, topic.TopicAuthorizedOperations);
        MetadataResponse.Partition p1 = topic.Partitions[1];
        Assert.Equal(ErrorCode.LeaderNotAvailable, p1.ErrorCode);
        Assert.Equal(version >= 7 ? 2 : -1, p1.LeaderEpoch);
        Assert.Equal([1, 2], p1.ReplicaNodes);
        Assert.Equal([2], p1.IsrNodes);
        Assert.Equal(version >= 5 ? [1] : Array.Empty<int>(), p1.OfflineReplicas);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, back.Topics[1].ErrorCode);
        Assert.Equal(bytes, Codec.Encode((ref KafkaWriter w) => back.Write(ref w, version)));
        Codec.AssertEveryTruncationRejected(bytes, (ref KafkaReader r) => MetadataResponse.Read(ref r, version));
    }

    // Goal: versions outside 0-12 are refused by the codec with a protocol error.
    [Fact]
    public void OutOfRangeVersionIsRefused()
    {
        Assert.Throws<KafkaProtocolException>(() => Codec.Decode(new byte[8], static (ref KafkaReader r) => MetadataRequest.Read(ref r, 13)));
    }
}
