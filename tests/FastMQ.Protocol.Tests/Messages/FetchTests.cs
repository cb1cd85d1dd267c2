using System;
using System.Collections.Generic;
using System.Text;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages;

public class FetchTests
{
    private static byte[] Records(int length, byte seed)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 7 + i);
        }
        return bytes;
    }

    public static IEnumerable<object[]> Versions()
    {
        for (short v = FetchRequestReader.MinVersion; v <= FetchRequestReader.MaxVersion; v++)
        {
            yield return [v];
        }
    }

    private delegate void ReaderCheck(ref FetchRequestReader reader);

    private static void WithReader(byte[] body, short version, ReaderCheck check)
    {
        var reader = new FetchRequestReader(body, version);
        check(ref reader);
    }

    // Goal: a Fetch v11 request as librdkafka 2.0.2 and kafkajs send it (header v1, classic) parses field by field.
    [Fact]
    public void V11RequestFixtureParses()
    {
        byte[] request = new WireBuilder()
            .I16(1).I16(11).I32(21).Str("rdkafka")
            .I32(-1).I32(500).I32(1).I32(52428800).I8(1).I32(0).I32(-1)   // ReplicaId .. SessionEpoch
            .Arr(1).Str("orders").Arr(2)
            .I32(0).I32(-1).I64(5).I64(-1).I32(1048576)                     // Partition, CurrentLeaderEpoch, FetchOffset, LogStartOffset, PartitionMaxBytes
            .I32(1).I32(-1).I64(9).I64(-1).I32(65536)
            .Arr(0)                                                         // ForgottenTopicsData
            .Str("")                                                        // RackId
            .ToArray();
        RequestHeader header = RequestHeader.Read(request, ApiVersionsTable.Default);
        Assert.False(header.IsFlexible);
        WithReader(request[header.Length..], 11, (ref FetchRequestReader reader) =>
        {
            Assert.Equal(-1, reader.ReplicaId);
            Assert.Equal(500, reader.MaxWaitMs);
            Assert.Equal(1, reader.MinBytes);
            Assert.Equal(52428800, reader.MaxBytes);
            Assert.Equal(1, reader.IsolationLevel);
            Assert.Equal(0, reader.SessionId);
            Assert.Equal(-1, reader.SessionEpoch);
            Assert.Equal(1, reader.TopicCount);
            Assert.Equal(2, reader.PartitionCount);
            Assert.Equal(0, reader.ForgottenTopicCount);
            Assert.Equal(0, reader.RackId.Length);
            Assert.True(reader.ClusterIdIsNull);
            Assert.True(reader.TryReadTopic(out ReadOnlySpan<byte> name, out int count));
            Assert.True(name.SequenceEqual("orders"u8));
            Assert.Equal(2, count);
            Assert.True(reader.TryReadPartition(out FetchPartitionRequest p0));
            Assert.Equal(new FetchPartitionRequest(0, -1, 5, -1, -1, 1048576), p0);
            Assert.True(reader.TryReadPartition(out FetchPartitionRequest p1));
            Assert.Equal(new FetchPartitionRequest(1, -1, 9, -1, -1, 65536), p1);
            Assert.False(reader.TryReadPartition(out _));
            Assert.False(reader.TryReadTopic(out _, out _));
        });
    }

    private static byte[] V12Body() => new WireBuilder()
        .I32(-1).I32(500).I32(1).I32(52428800).I8(1).I32(0).I32(-1)
        .CArr(1).CStr("orders").CArr(1)
        .I32(0).I32(0).I64(7).I32(-1).I64(-1).I32(1048576).NoTags()        // ... LastFetchedEpoch (12+) before LogStartOffset
        .NoTags()
        .CArr(1).CStr("old").CArr(2).I32(4).I32(5).NoTags()                  // ForgottenTopicsData
        .CStr("rack-a")                                                      // RackId
        .UVarint(1).UVarint(0).UVarint(10).CStr("cluster-x")                 // tag 0: ClusterId
        .ToArray();

    // Goal: a flexible Fetch v12 request (librdkafka 2.16, platformatic) parses, including forgotten topics, rack
    // and the ClusterId tag that sits after everything else.
    [Fact]
    public void V12RequestFixtureParses()
    {
        byte[] request = new WireBuilder().I16(1).I16(12).I32(22).Str("rdkafka").NoTags().Raw(V12Body()).ToArray();
        RequestHeader header = RequestHeader.Read(request, ApiVersionsTable.Default);
        Assert.True(header.IsFlexible);
        WithReader(request[header.Length..], 12, (ref FetchRequestReader reader) =>
        {
            Assert.True(reader.RackId.SequenceEqual("rack-a"u8));
            Assert.False(reader.ClusterIdIsNull);
            Assert.True(reader.ClusterId.SequenceEqual("cluster-x"u8));
            Assert.Equal(1, reader.ForgottenTopicCount);
            Assert.True(reader.TryReadForgottenTopic(out ReadOnlySpan<byte> old, out Int32ArrayView forgotten));
            Assert.True(old.SequenceEqual("old"u8));
            Assert.Equal(2, forgotten.Count);
            Assert.Equal(5, forgotten[1]);
            Assert.False(reader.TryReadForgottenTopic(out _, out _));
            Assert.True(reader.TryReadTopic(out _, out _));
            Assert.True(reader.TryReadPartition(out FetchPartitionRequest p));
            Assert.Equal(new FetchPartitionRequest(0, 0, 7, -1, -1, 1048576), p);
            Assert.False(reader.TryReadTopic(out _, out _));
        });
    }

    // Goal: the v11 response frame (header v0, classic) matches the schema byte for byte.
    [Fact]
    public void V11ResponseMatchesHandBuiltFixture()
    {
        byte[] records = Records(80, 1);
        byte[] expected = new WireBuilder()
            .I32(31)                                                   // header v0
            .I32(0).I16(0).I32(0)                                      // ThrottleTimeMs, ErrorCode, SessionId
            .Arr(1).Str("orders").Arr(1)
            .I32(0).I16(0).I64(10).I64(10).I64(0)                      // PartitionIndex, ErrorCode, HW, LSO, LogStartOffset
            .Arr(0).I32(-1)                                            // AbortedTransactions, PreferredReadReplica
            .Bytes(records)
            .ToFrame();
        var buffer = new byte[512];
        var writer = new FetchResponseWriter(buffer, 11, 31, 1);
        writer.BeginTopic("orders"u8, 1);
        writer.BeginPartition(new FetchPartitionHeader(0, ErrorCode.None, 10, 10, 0), records.Length);
        writer.WriteRecords(records);
        writer.EndPartition();
        writer.EndTopic();
        int length = writer.Complete();
        Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());
    }

    private static byte[] V12ResponseFixture(byte[] records) => new WireBuilder()
        .I32(32).NoTags()                                              // header v1
        .I32(0).I16(0).I32(0)
        .CArr(1).CStr("orders").CArr(2)
        .I32(0).I16(0).I64(10).I64(10).I64(0).CArr(1).I64(77).I64(3).NoTags().I32(-1).CBytes(records).NoTags()
        .I32(1).I16(1).I64(3).I64(3).I64(0).UVarint(0).I32(-1).UVarint(0).NoTags()  // null aborted list, null records
        .NoTags()
        .NoTags()
        .ToFrame();

    private static int WriteV12(Span<byte> buffer, byte[] records, bool external, out int gap)
    {
        var writer = new FetchResponseWriter(buffer, 12, 32, 1);
        writer.BeginTopic("orders"u8, 2);
        writer.BeginPartition(new FetchPartitionHeader(0, ErrorCode.None, 10, 10, 0), records.Length, [new AbortedTransaction(77, 3)]);
        gap = -1;
        if (external)
        {
            gap = writer.MarkRecordsExternal();
        }
        else
        {
            writer.WriteRecords(records.AsSpan(0, 5));
            writer.WriteRecords(records.AsSpan(5));
        }
        writer.EndPartition();
        writer.BeginPartition(new FetchPartitionHeader(1, ErrorCode.OffsetOutOfRange, 3, 3, 0), -1, default, abortedTransactionsIsNull: true);
        writer.EndPartition();
        writer.EndTopic();
        int length = writer.Complete();
        Assert.Equal(external ? records.Length : 0, writer.ExternalBytes);
        return length;
    }

    // Goal: the v12 response (compact records N+1, per-partition tags after the records, null forms) matches the
    // schema byte for byte when records are copied in.
    [Fact]
    public void V12ResponseMatchesHandBuiltFixture()
    {
        byte[] records = Records(150, 2);
        byte[] expected = V12ResponseFixture(records);
        var buffer = new byte[512];
        int length = WriteV12(buffer, records, external: false, out _);
        Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());
    }

    // Goal: with external records (sendfile), the buffer holds everything but the records, the returned offset marks
    // where they go, and buffer[..gap] + records + buffer[gap..] is exactly the in-memory frame (size counts them).
    [Fact]
    public void ExternalRecordsSpliceIntoTheSameFrame()
    {
        byte[] records = Records(150, 3);
        var buffer = new byte[512];
        int wireLength = WriteV12(buffer, records, external: true, out int gap);
        int bufferLength = wireLength - records.Length;
        var spliced = new List<byte>();
        spliced.AddRange(buffer.AsSpan(0, gap).ToArray());
        spliced.AddRange(records);
        spliced.AddRange(buffer.AsSpan(gap, bufferLength - gap).ToArray());
        Assert.Equal(V12ResponseFixture(records), spliced.ToArray());
    }

    // Goal: declared record lengths are enforced: too few or too many bytes throw instead of corrupting the frame.
    [Fact]
    public void WriterEnforcesRecordLengths()
    {
        var buffer = new byte[512];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new FetchResponseWriter(buffer, 12, 1, 1);
            writer.BeginTopic("t"u8, 1);
            writer.BeginPartition(new FetchPartitionHeader(0, ErrorCode.None, 0, 0, 0), 10);
            writer.WriteRecords(new byte[9]);
            writer.EndPartition();
        });
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new FetchResponseWriter(buffer, 12, 1, 1);
            writer.BeginTopic("t"u8, 1);
            writer.BeginPartition(new FetchPartitionHeader(0, ErrorCode.None, 0, 0, 0), 10);
            writer.WriteRecords(new byte[11]);
        });
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new FetchResponseWriter(buffer, 12, 1, 1);
            writer.BeginTopic("t"u8, 1);
            writer.EndTopic();
        });
    }

    private static FetchRequest SampleRequest()
    {
        var request = new FetchRequest
        {
            ClusterId = "c-1",
            MaxWaitMs = 250,
            MinBytes = 10,
            MaxBytes = 1000,
            IsolationLevel = 1,
            SessionId = 3,
            SessionEpoch = 4,
            RackId = "r1",
        };
        var topic = new FetchRequest.Topic { Name = "orders" };
        topic.Partitions.Add(new FetchRequest.Partition { PartitionIndex = 0, CurrentLeaderEpoch = 2, FetchOffset = 100, LastFetchedEpoch = 1, LogStartOffset = 50, PartitionMaxBytes = 4096 });
        topic.Partitions.Add(new FetchRequest.Partition { PartitionIndex = 1, FetchOffset = 7, PartitionMaxBytes = 1 });
        request.Topics.Add(topic);
        request.Topics.Add(new FetchRequest.Topic { Name = "empty" });
        request.ForgottenTopics.Add(new FetchRequest.ForgottenTopic { Name = "gone", Partitions = [1, 2, 3] });
        return request;
    }

    // Goal: every version 4-12 round-trips request objects through the wire and the allocation-free reader.
    [Theory]
    [MemberData(nameof(Versions))]
    public void RequestRoundTripsThroughReader(short version)
    {
        FetchRequest request = SampleRequest();
        byte[] body = Codec.Encode((ref KafkaWriter w) => request.Write(ref w, version));
        var seen = new List<string>();
        WithReader(body, version, (ref FetchRequestReader reader) =>
        {
            Assert.Equal(250, reader.MaxWaitMs);
            Assert.Equal(1000, reader.MaxBytes);
            Assert.Equal(1, reader.IsolationLevel);
            Assert.Equal(version >= 7 ? 3 : 0, reader.SessionId);
            Assert.Equal(version >= 7 ? 4 : -1, reader.SessionEpoch);
            Assert.Equal(version >= 7 ? 1 : 0, reader.ForgottenTopicCount);
            Assert.Equal(version >= 11 ? "r1" : "", Encoding.UTF8.GetString(reader.RackId));
            Assert.Equal(version >= 12 ? "c-1" : "", Encoding.UTF8.GetString(reader.ClusterId));
            while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out _))
            {
                while (reader.TryReadPartition(out FetchPartitionRequest p))
                {
                    seen.Add($"{Encoding.UTF8.GetString(name)}:{p}");
                }
            }
            if (version >= 7)
            {
                Assert.True(reader.TryReadForgottenTopic(out _, out Int32ArrayView parts));
                Assert.Equal(3, parts[2]);
            }
        });
        string p0 = new FetchPartitionRequest(0, version >= 9 ? 2 : -1, 100, version >= 12 ? 1 : -1, version >= 5 ? 50 : -1, 4096).ToString();
        string p1 = new FetchPartitionRequest(1, -1, 7, -1, -1, 1).ToString();
        Assert.Equal([$"orders:{p0}", $"orders:{p1}"], seen);
        FetchRequest back = Codec.Decode(body, (ref KafkaReader r) => FetchRequest.Read(ref r, version));
        Assert.Equal(body, Codec.Encode((ref KafkaWriter w) => back.Write(ref w, version)));
        Codec.AssertEveryTruncationRejected(body, (ref KafkaReader r) => new FetchRequestReader(r.Buffer, version).TopicCount);
    }

    // Goal: for every version the writer's frame reads back through the object codec with the values given, equals
    // that codec's own encoding, and stays within MaxResponseOverhead plus the record and aborted-transaction bytes.
    [Theory]
    [MemberData(nameof(Versions))]
    public void ResponseWriterMatchesObjectCodec(short version)
    {
        byte[] requestBody = Codec.Encode((ref KafkaWriter w) => SampleRequest().Write(ref w, version));
        byte[] records = Records(300, 4);
        var buffer = new byte[4096];
        int length = 0;
        int overhead = 0;
        WithReader(requestBody, version, (ref FetchRequestReader reader) =>
        {
            overhead = reader.MaxResponseOverhead;
            var writer = new FetchResponseWriter(buffer, version, 77, reader.TopicCount, throttleTimeMs: 2, sessionId: 0);
            while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out int count))
            {
                writer.BeginTopic(name, count);
                while (reader.TryReadPartition(out FetchPartitionRequest p))
                {
                    var header = new FetchPartitionHeader(p.Partition, ErrorCode.None, 500, 400, 10, PreferredReadReplica: -1);
                    writer.BeginPartition(header, records.Length, [new AbortedTransaction(9, 8)]);
                    writer.WriteRecords(records);
                    writer.EndPartition();
                }
                writer.EndTopic();
            }
            length = writer.Complete();
        });
        Assert.True(length <= overhead + (2 * records.Length) + (2 * 17), $"frame {length} exceeds bound");
        bool flexible = version >= 12;
        var frame = new KafkaReader(buffer.AsSpan(0, length));
        Assert.Equal(length - 4, frame.ReadInt32());
        Assert.Equal(77, ResponseHeader.Read(ref frame, flexible));
        byte[] body = frame.ReadRaw(frame.Remaining).ToArray();
        FetchResponse parsed = Codec.Decode(body, (ref KafkaReader r) => FetchResponse.Read(ref r, version));
        Assert.Equal(2, parsed.ThrottleTimeMs);
        Assert.Equal(2, parsed.Topics.Count);
        Assert.Empty(parsed.Topics[1].Partitions);
        FetchResponse.Partition p1 = parsed.Topics[0].Partitions[1];
        Assert.Equal(1, p1.PartitionIndex);
        Assert.Equal(500, p1.HighWatermark);
        Assert.Equal(400, p1.LastStableOffset);
        Assert.Equal(version >= 5 ? 10 : -1, p1.LogStartOffset);
        Assert.Equal([new AbortedTransaction(9, 8)], p1.AbortedTransactions!);
        Assert.Equal(records, p1.Records);
        Assert.Equal(body, Codec.Encode((ref KafkaWriter w) => parsed.Write(ref w, version)));
        Codec.AssertEveryTruncationRejected(body, (ref KafkaReader r) => FetchResponse.Read(ref r, version));
    }

    // Goal: random corruption of a valid v12 body either parses and iterates fully, or throws KafkaProtocolException.
    [Fact]
    public void CorruptedRequestsOnlyThrowProtocolErrors()
    {
        byte[] original = V12Body();
        var random = new Random(424242);
        for (int round = 0; round < 3000; round++)
        {
            byte[] body = (byte[])original.Clone();
            int edits = 1 + random.Next(3);
            for (int e = 0; e < edits; e++)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }
            try
            {
                var reader = new FetchRequestReader(body, 12);
                while (reader.TryReadTopic(out _, out _))
                {
                    while (reader.TryReadPartition(out _))
                    {
                    }
                }
                while (reader.TryReadForgottenTopic(out _, out Int32ArrayView parts))
                {
                    for (int i = 0; i < parts.Count; i++)
                    {
                        _ = parts[i];
                    }
                }
            }
            catch (KafkaProtocolException)
            {
            }
        }
    }

    // Goal: versions outside 4-12 are refused; a huge topic count is refused before any work.
    [Fact]
    public void OutOfRangeAndHugeCountsAreRefused()
    {
        Assert.Throws<KafkaProtocolException>(() => new FetchRequestReader(V12Body(), 13).TopicCount);
        Assert.Throws<KafkaProtocolException>(() => new FetchRequestReader(V12Body(), 3).TopicCount);
        byte[] huge = new WireBuilder().I32(-1).I32(1).I32(1).I32(1).I8(0).I32(0).I32(-1).Arr(int.MaxValue).ToArray();
        Assert.Throws<KafkaProtocolException>(() => new FetchRequestReader(huge, 11).TopicCount);
    }
}
