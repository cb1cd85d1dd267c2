using System;
using System.Collections.Generic;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages;

/// <summary>Round trips for the class-based codecs over every advertised version, plus a few schema fixtures.</summary>
public class AdminMessagesTests
{
    private static IEnumerable<object[]> Range(short min, short max)
    {
        for (short v = min; v <= max; v++)
        {
            yield return [v];
        }
    }

    public static IEnumerable<object[]> InitProducerIdVersions() => Range(0, 4);

    public static IEnumerable<object[]> ListOffsetsVersions() => Range(1, 7);

    public static IEnumerable<object[]> CreateTopicsVersions() => Range(2, 7);

    public static IEnumerable<object[]> DeleteTopicsVersions() => Range(1, 6);

    public static IEnumerable<object[]> DeleteRecordsVersions() => Range(0, 2);

    public static IEnumerable<object[]> DescribeConfigsVersions() => Range(1, 4);

    public static IEnumerable<object[]> OffsetForLeaderEpochVersions() => Range(2, 4);

    public static IEnumerable<object[]> CreatePartitionsVersions() => Range(0, 3);

    /// <summary>Encode, decode, re-encode: equal bytes; every truncation refused; returns the decoded copy.</summary>
    private static T RoundTrip<T>(short version, WriteBody write, Func<short, ReadBody<T>> read, Func<T, WriteBody> rewrite)
    {
        byte[] bytes = Codec.Encode(write);
        T back = Codec.Decode(bytes, read(version));
        Assert.Equal(bytes, Codec.Encode(rewrite(back)));
        Codec.AssertEveryTruncationRejected(bytes, read(version));
        return back;
    }

    // Goal: InitProducerId v4 (librdkafka) and v1 (kafkajs) requests match the schema byte for byte.
    [Fact]
    public void InitProducerIdFixtures()
    {
        var v4 = new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = -1, ProducerId = -1, ProducerEpoch = -1 };
        Assert.Equal(new WireBuilder().CNullStr().I32(-1).I64(-1).I16(-1).NoTags().ToArray(),
            Codec.Encode((ref KafkaWriter w) => v4.Write(ref w, 4)));
        var v1 = new InitProducerIdRequest { TransactionTimeoutMs = 60000 };
        Assert.Equal(new WireBuilder().NullStr().I32(60000).ToArray(), Codec.Encode((ref KafkaWriter w) => v1.Write(ref w, 1)));
        var response = new InitProducerIdResponse { ProducerId = 1000, ProducerEpoch = 0 };
        Assert.Equal(new WireBuilder().I32(0).I16(0).I64(1000).I16(0).NoTags().ToArray(),
            Codec.Encode((ref KafkaWriter w) => response.Write(ref w, 4)));
    }

    // Goal: InitProducerId round-trips in every version; ProducerId/Epoch travel only from v3.
    [Theory]
    [MemberData(nameof(InitProducerIdVersions))]
    public void InitProducerIdRoundTrips(short version)
    {
        var request = new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 5000, ProducerId = 77, ProducerEpoch = 3 };
        InitProducerIdRequest back = RoundTrip<InitProducerIdRequest>(version, (ref KafkaWriter w) => request.Write(ref w, version),
            v => (ref KafkaReader r) => InitProducerIdRequest.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal("tx", back.TransactionalId);
        Assert.Equal(version >= 3 ? 77 : -1, back.ProducerId);
        Assert.Equal(version >= 3 ? (short)3 : (short)-1, back.ProducerEpoch);

        var response = new InitProducerIdResponse { ThrottleTimeMs = 1, ErrorCode = ErrorCode.InvalidProducerEpoch, ProducerId = 5, ProducerEpoch = 2 };
        InitProducerIdResponse rb = RoundTrip<InitProducerIdResponse>(version, (ref KafkaWriter w) => response.Write(ref w, version),
            v => (ref KafkaReader r) => InitProducerIdResponse.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(ErrorCode.InvalidProducerEpoch, rb.ErrorCode);
        Assert.Equal(5, rb.ProducerId);
    }

    // Goal: ListOffsets v2 (kcat) request and v7 (librdkafka 2.16) response match the schema byte for byte.
    [Fact]
    public void ListOffsetsFixtures()
    {
        var request = new ListOffsetsRequest { ReplicaId = -1, IsolationLevel = 1 };
        var topic = new ListOffsetsRequest.Topic { Name = "orders" };
        topic.Partitions.Add(new ListOffsetsRequest.Partition { PartitionIndex = 0, Timestamp = ListOffsetsRequest.LatestTimestamp });
        request.Topics.Add(topic);
        Assert.Equal(new WireBuilder().I32(-1).I8(1).Arr(1).Str("orders").Arr(1).I32(0).I64(-1).ToArray(),
            Codec.Encode((ref KafkaWriter w) => request.Write(ref w, 2)));

        var response = new ListOffsetsResponse();
        var rt = new ListOffsetsResponse.Topic { Name = "orders" };
        rt.Partitions.Add(new ListOffsetsResponse.Partition { PartitionIndex = 0, Timestamp = -1, Offset = 42, LeaderEpoch = 0 });
        response.Topics.Add(rt);
        Assert.Equal(new WireBuilder().I32(0).CArr(1).CStr("orders").CArr(1).I32(0).I16(0).I64(-1).I64(42).I32(0).NoTags().NoTags().NoTags().ToArray(),
            Codec.Encode((ref KafkaWriter w) => response.Write(ref w, 7)));
    }

    // Goal: ListOffsets round-trips in every version 1-7 with the version-gated fields.
    [Theory]
    [MemberData(nameof(ListOffsetsVersions))]
    public void ListOffsetsRoundTrips(short version)
    {
        var request = new ListOffsetsRequest { IsolationLevel = 1 };
        var topic = new ListOffsetsRequest.Topic { Name = "t" };
        topic.Partitions.Add(new ListOffsetsRequest.Partition { PartitionIndex = 3, CurrentLeaderEpoch = 0, Timestamp = ListOffsetsRequest.EarliestTimestamp });
        request.Topics.Add(topic);
        ListOffsetsRequest back = RoundTrip<ListOffsetsRequest>(version, (ref KafkaWriter w) => request.Write(ref w, version),
            v => (ref KafkaReader r) => ListOffsetsRequest.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 2 ? 1 : 0, back.IsolationLevel);
        Assert.Equal(version >= 4 ? 0 : -1, back.Topics[0].Partitions[0].CurrentLeaderEpoch);
        Assert.Equal(-2, back.Topics[0].Partitions[0].Timestamp);

        var response = new ListOffsetsResponse { ThrottleTimeMs = 4 };
        var rt = new ListOffsetsResponse.Topic { Name = "t" };
        rt.Partitions.Add(new ListOffsetsResponse.Partition { PartitionIndex = 3, ErrorCode = ErrorCode.None, Timestamp = 9, Offset = 10, LeaderEpoch = 0 });
        response.Topics.Add(rt);
        ListOffsetsResponse rb = RoundTrip<ListOffsetsResponse>(version, (ref KafkaWriter w) => response.Write(ref w, version),
            v => (ref KafkaReader r) => ListOffsetsResponse.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 2 ? 4 : 0, rb.ThrottleTimeMs);
        Assert.Equal(10, rb.Topics[0].Partitions[0].Offset);
        Assert.Equal(version >= 4 ? 0 : -1, rb.Topics[0].Partitions[0].LeaderEpoch);
    }

    // Goal: CreateTopics round-trips in every version 2-7; v5+ response fields and the tag-0 config error travel.
    [Theory]
    [MemberData(nameof(CreateTopicsVersions))]
    public void CreateTopicsRoundTrips(short version)
    {
        var request = new CreateTopicsRequest { TimeoutMs = 1000, ValidateOnly = true };
        var topic = new CreateTopicsRequest.Topic { Name = "new", NumPartitions = 3, ReplicationFactor = 1 };
        topic.Assignments.Add(new CreateTopicsRequest.Assignment { PartitionIndex = 0, BrokerIds = [1] });
        topic.Configs.Add(new CreateTopicsRequest.Config { Name = "retention.ms", Value = "1000" });
        topic.Configs.Add(new CreateTopicsRequest.Config { Name = "cleanup.policy", Value = null });
        request.Topics.Add(topic);
        CreateTopicsRequest back = RoundTrip<CreateTopicsRequest>(version, (ref KafkaWriter w) => request.Write(ref w, version),
            v => (ref KafkaReader r) => CreateTopicsRequest.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.True(back.ValidateOnly);
        Assert.Null(back.Topics[0].Configs[1].Value);
        Assert.Equal([1], back.Topics[0].Assignments[0].BrokerIds);

        var id = Guid.NewGuid();
        var response = new CreateTopicsResponse { ThrottleTimeMs = 1 };
        response.Topics.Add(new CreateTopicsResponse.Topic
        {
            Name = "new",
            TopicId = id,
            ErrorCode = ErrorCode.InvalidConfig,
            ErrorMessage = "bad",
            TopicConfigErrorCode = ErrorCode.InvalidConfig,
            NumPartitions = 3,
            ReplicationFactor = 1,
            Configs = [new CreateTopicsResponse.Config { Name = "retention.ms", Value = "1000", ConfigSource = 1 }],
        });
        response.Topics.Add(new CreateTopicsResponse.Topic { Name = "other", Configs = null });
        CreateTopicsResponse rb = RoundTrip<CreateTopicsResponse>(version, (ref KafkaWriter w) => response.Write(ref w, version),
            v => (ref KafkaReader r) => CreateTopicsResponse.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        CreateTopicsResponse.Topic t = rb.Topics[0];
        Assert.Equal(version >= 7 ? id : Guid.Empty, t.TopicId);
        Assert.Equal("bad", t.ErrorMessage);
        Assert.Equal(version >= 5 ? ErrorCode.InvalidConfig : ErrorCode.None, t.TopicConfigErrorCode);
        Assert.Equal(version >= 5 ? 3 : -1, t.NumPartitions);
        Assert.Equal(version >= 5 ? 1 : 0, t.Configs?.Count ?? 0);
        Assert.Null(rb.Topics[1].Configs);
    }

    // Goal: DeleteTopics round-trips in every version 1-6: names before v6, (name, id) pairs from v6.
    [Theory]
    [MemberData(nameof(DeleteTopicsVersions))]
    public void DeleteTopicsRoundTrips(short version)
    {
        var id = Guid.NewGuid();
        var request = new DeleteTopicsRequest { TimeoutMs = 15 };
        request.Topics.Add(new DeleteTopicsRequest.Topic { Name = "a", TopicId = id });
        DeleteTopicsRequest back = RoundTrip<DeleteTopicsRequest>(version, (ref KafkaWriter w) => request.Write(ref w, version),
            v => (ref KafkaReader r) => DeleteTopicsRequest.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal("a", back.Topics[0].Name);
        Assert.Equal(version >= 6 ? id : Guid.Empty, back.Topics[0].TopicId);
        Assert.Equal(15, back.TimeoutMs);

        var response = new DeleteTopicsResponse { ThrottleTimeMs = 2 };
        response.Responses.Add(new DeleteTopicsResponse.Result { Name = "a", TopicId = id, ErrorCode = ErrorCode.UnknownTopicOrPartition, ErrorMessage = "no" });
        DeleteTopicsResponse rb = RoundTrip<DeleteTopicsResponse>(version, (ref KafkaWriter w) => response.Write(ref w, version),
            v => (ref KafkaReader r) => DeleteTopicsResponse.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, rb.Responses[0].ErrorCode);
        Assert.Equal(version >= 5 ? "no" : null, rb.Responses[0].ErrorMessage);
    }

    // Goal: DeleteRecords round-trips in every version 0-2.
    [Theory]
    [MemberData(nameof(DeleteRecordsVersions))]
    public void DeleteRecordsRoundTrips(short version)
    {
        var request = new DeleteRecordsRequest { TimeoutMs = 9 };
        var topic = new DeleteRecordsRequest.Topic { Name = "t" };
        topic.Partitions.Add(new DeleteRecordsRequest.Partition { PartitionIndex = 1, Offset = DeleteRecordsRequest.HighWatermarkOffset });
        request.Topics.Add(topic);
        DeleteRecordsRequest back = RoundTrip<DeleteRecordsRequest>(version, (ref KafkaWriter w) => request.Write(ref w, version),
            v => (ref KafkaReader r) => DeleteRecordsRequest.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(-1, back.Topics[0].Partitions[0].Offset);

        var response = new DeleteRecordsResponse { ThrottleTimeMs = 1 };
        var rt = new DeleteRecordsResponse.Topic { Name = "t" };
        rt.Partitions.Add(new DeleteRecordsResponse.Partition { PartitionIndex = 1, LowWatermark = 100, ErrorCode = ErrorCode.OffsetOutOfRange });
        response.Topics.Add(rt);
        DeleteRecordsResponse rb = RoundTrip<DeleteRecordsResponse>(version, (ref KafkaWriter w) => response.Write(ref w, version),
            v => (ref KafkaReader r) => DeleteRecordsResponse.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(100, rb.Topics[0].Partitions[0].LowWatermark);
        Assert.Equal(ErrorCode.OffsetOutOfRange, rb.Topics[0].Partitions[0].ErrorCode);
    }

    // Goal: DescribeConfigs round-trips in every version 1-4; documentation fields only from v3.
    [Theory]
    [MemberData(nameof(DescribeConfigsVersions))]
    public void DescribeConfigsRoundTrips(short version)
    {
        var request = new DescribeConfigsRequest { IncludeSynonyms = true, IncludeDocumentation = true };
        request.Resources.Add(new DescribeConfigsRequest.Resource { ResourceType = DescribeConfigsRequest.TopicResourceType, ResourceName = "t", ConfigurationKeys = null });
        request.Resources.Add(new DescribeConfigsRequest.Resource { ResourceType = DescribeConfigsRequest.BrokerResourceType, ResourceName = "1", ConfigurationKeys = ["a", "b"] });
        DescribeConfigsRequest back = RoundTrip<DescribeConfigsRequest>(version, (ref KafkaWriter w) => request.Write(ref w, version),
            v => (ref KafkaReader r) => DescribeConfigsRequest.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Null(back.Resources[0].ConfigurationKeys);
        Assert.Equal(["a", "b"], back.Resources[1].ConfigurationKeys!);
        Assert.Equal(version >= 3, back.IncludeDocumentation);

        var response = new DescribeConfigsResponse { ThrottleTimeMs = 3 };
        var result = new DescribeConfigsResponse.Result { ResourceType = 2, ResourceName = "t" };
        var config = new DescribeConfigsResponse.Config { Name = "retention.ms", Value = "604800000", ConfigSource = 5, ConfigType = 5, Documentation = "doc" };
        config.Synonyms.Add(new DescribeConfigsResponse.Synonym { Name = "log.retention.ms", Value = null, Source = 5 });
        result.Configs.Add(config);
        response.Results.Add(result);
        DescribeConfigsResponse rb = RoundTrip<DescribeConfigsResponse>(version, (ref KafkaWriter w) => response.Write(ref w, version),
            v => (ref KafkaReader r) => DescribeConfigsResponse.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        DescribeConfigsResponse.Config c = rb.Results[0].Configs[0];
        Assert.Equal("604800000", c.Value);
        Assert.Equal("log.retention.ms", c.Synonyms[0].Name);
        Assert.Equal(version >= 3 ? "doc" : null, c.Documentation);
    }

    // Goal: OffsetForLeaderEpoch round-trips in every version 2-4; ReplicaId travels from v3.
    [Theory]
    [MemberData(nameof(OffsetForLeaderEpochVersions))]
    public void OffsetForLeaderEpochRoundTrips(short version)
    {
        var request = new OffsetForLeaderEpochRequest { ReplicaId = -1 };
        var topic = new OffsetForLeaderEpochRequest.Topic { Name = "t" };
        topic.Partitions.Add(new OffsetForLeaderEpochRequest.Partition { PartitionIndex = 0, CurrentLeaderEpoch = 0, LeaderEpoch = 0 });
        request.Topics.Add(topic);
        OffsetForLeaderEpochRequest back = RoundTrip<OffsetForLeaderEpochRequest>(version, (ref KafkaWriter w) => request.Write(ref w, version),
            v => (ref KafkaReader r) => OffsetForLeaderEpochRequest.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(version >= 3 ? -1 : -2, back.ReplicaId);

        var response = new OffsetForLeaderEpochResponse();
        var rt = new OffsetForLeaderEpochResponse.Topic { Name = "t" };
        rt.Partitions.Add(new OffsetForLeaderEpochResponse.Partition { PartitionIndex = 0, LeaderEpoch = 0, EndOffset = 1234 });
        response.Topics.Add(rt);
        OffsetForLeaderEpochResponse rb = RoundTrip<OffsetForLeaderEpochResponse>(version, (ref KafkaWriter w) => response.Write(ref w, version),
            v => (ref KafkaReader r) => OffsetForLeaderEpochResponse.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal(1234, rb.Topics[0].Partitions[0].EndOffset);
    }

    // Goal: CreatePartitions round-trips in every version 0-3 with null and explicit assignments.
    [Theory]
    [MemberData(nameof(CreatePartitionsVersions))]
    public void CreatePartitionsRoundTrips(short version)
    {
        var request = new CreatePartitionsRequest { TimeoutMs = 5, ValidateOnly = true };
        request.Topics.Add(new CreatePartitionsRequest.Topic { Name = "a", Count = 4, Assignments = null });
        request.Topics.Add(new CreatePartitionsRequest.Topic { Name = "b", Count = 2, Assignments = [[1]] });
        CreatePartitionsRequest back = RoundTrip<CreatePartitionsRequest>(version, (ref KafkaWriter w) => request.Write(ref w, version),
            v => (ref KafkaReader r) => CreatePartitionsRequest.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Null(back.Topics[0].Assignments);
        Assert.Equal([1], back.Topics[1].Assignments![0]);

        var response = new CreatePartitionsResponse();
        response.Results.Add(new CreatePartitionsResponse.Result { Name = "a", ErrorCode = ErrorCode.InvalidPartitions, ErrorMessage = "shrink" });
        CreatePartitionsResponse rb = RoundTrip<CreatePartitionsResponse>(version, (ref KafkaWriter w) => response.Write(ref w, version),
            v => (ref KafkaReader r) => CreatePartitionsResponse.Read(ref r, v), b => (ref KafkaWriter w) => b.Write(ref w, version));
        Assert.Equal("shrink", rb.Results[0].ErrorMessage);
    }
}
