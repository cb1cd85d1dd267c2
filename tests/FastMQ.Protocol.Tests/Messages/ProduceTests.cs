using System;
using System.Collections.Generic;
using System.Text;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages;

public class ProduceTests
{
    private static byte[] Batch(int length, byte seed)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed + i);
        }
        return bytes;
    }

    public static IEnumerable<object[]> Versions()
    {
        for (short v = ProduceRequestReader.MinVersion; v <= ProduceRequestReader.MaxVersion; v++)
        {
            yield return [v];
        }
    }

    private delegate void ReaderCheck(ref ProduceRequestReader reader);

    private static void WithReader(byte[] body, short version, ReaderCheck check)
    {
        var reader = new ProduceRequestReader(body, version);
        check(ref reader);
    }

    // Goal: a Produce v7 request as librdkafka 2.0.2/kafkajs send it (header v1, classic body) parses to the right
    // fields, and the records are the very bytes of the request (no copy) at RecordsOffset.
    [Fact]
    public void V7RequestFixtureParses()
    {
        byte[] batch = Batch(70, 1);
        byte[] request = new WireBuilder()
            .I16(0).I16(7).I32(11).Str("rdkafka")                 // header v1
            .NullStr().I16(-1).I32(30000)                         // TransactionalId, Acks, TimeoutMs
            .Arr(1).Str("orders").Arr(1).I32(0).Bytes(batch)      // TopicData[].Name, PartitionData[].Index, Records
            .ToArray();
        RequestHeader header = RequestHeader.Read(request, ApiVersionsTable.Default);
        Assert.False(header.IsFlexible);
        byte[] body = request[header.Length..];
        WithReader(body, header.ApiVersion, (ref ProduceRequestReader reader) =>
        {
            Assert.True(reader.TransactionalIdIsNull);
            Assert.Equal(-1, reader.Acks);
            Assert.Equal(30000, reader.TimeoutMs);
            Assert.Equal(1, reader.TopicCount);
            Assert.Equal(1, reader.PartitionCount);
            Assert.Equal(70, reader.RecordsBytes);
            Assert.True(reader.TryReadTopic(out ReadOnlySpan<byte> name, out int partitions));
            Assert.True(name.SequenceEqual("orders"u8));
            Assert.Equal(1, partitions);
            Assert.True(reader.TryReadPartition(out ProducePartitionData p));
            Assert.Equal(0, p.PartitionIndex);
            Assert.False(p.RecordsIsNull);
            Assert.True(p.Records.SequenceEqual(batch));
            Assert.True(p.Records.Overlaps(body));
            Assert.True(body.AsSpan(p.RecordsOffset, p.Records.Length).SequenceEqual(batch));
            Assert.False(reader.TryReadPartition(out _));
            Assert.False(reader.TryReadTopic(out _, out _));
        });
    }

    private static byte[] V9Body(byte[] b1, byte[] b2, byte[] b3) => new WireBuilder()
        .CStr("tx-1").I16(1).I32(5000)
        .CArr(2)
        .CStr("orders").CArr(2).I32(0).CBytes(b1).NoTags().I32(3).CBytes(b2).NoTags().NoTags()
        .CStr("audit").CArr(1).I32(1).CBytes(b3).NoTags().NoTags()
        .NoTags()
        .ToArray();

    // Goal: a flexible Produce v9 request (compact strings and records, tags after every struct) parses, and
    // skipping partitions or whole topics and rewinding all land on the right bytes.
    [Fact]
    public void V9RequestFixtureParsesAndSkips()
    {
        byte[] b1 = Batch(61, 10), b2 = Batch(200, 20), b3 = Batch(90, 30);
        byte[] request = new WireBuilder().I16(0).I16(9).I32(12).Str("producer").NoTags().Raw(V9Body(b1, b2, b3)).ToArray();
        RequestHeader header = RequestHeader.Read(request, ApiVersionsTable.Default);
        Assert.True(header.IsFlexible);
        byte[] body = request[header.Length..];
        WithReader(body, 9, (ref ProduceRequestReader reader) =>
        {
            Assert.False(reader.TransactionalIdIsNull);
            Assert.True(reader.TransactionalId.SequenceEqual("tx-1"u8));
            Assert.Equal(1, reader.Acks);
            Assert.Equal(2, reader.TopicCount);
            Assert.Equal(3, reader.PartitionCount);
            Assert.Equal(11, reader.TopicNameBytes);

            // Skip all of "orders" without reading its partitions.
            Assert.True(reader.TryReadTopic(out _, out _));
            Assert.True(reader.TryReadTopic(out ReadOnlySpan<byte> second, out _));
            Assert.True(second.SequenceEqual("audit"u8));
            Assert.True(reader.TryReadPartition(out ProducePartitionData p3));
            Assert.Equal(1, p3.PartitionIndex);
            Assert.True(p3.Records.SequenceEqual(b3));

            // Rewind and read one partition of the first topic, then jump to the next topic.
            reader.Reset();
            Assert.True(reader.TryReadTopic(out ReadOnlySpan<byte> first, out int count));
            Assert.True(first.SequenceEqual("orders"u8));
            Assert.Equal(2, count);
            Assert.True(reader.TryReadPartition(out ProducePartitionData p1));
            Assert.True(p1.Records.SequenceEqual(b1));
            Assert.True(reader.TryReadTopic(out ReadOnlySpan<byte> again, out _));
            Assert.True(again.SequenceEqual("audit"u8));
        });
    }

    private static ProduceRequest SampleRequest()
    {
        var request = new ProduceRequest { TransactionalId = "txn", Acks = -1, TimeoutMs = 1234 };
        var orders = new ProduceRequest.Topic { Name = "orders" };
        orders.Partitions.Add(new ProduceRequest.Partition { Index = 0, Records = Batch(61, 1) });
        orders.Partitions.Add(new ProduceRequest.Partition { Index = 7, Records = null });
        request.Topics.Add(orders);
        var empty = new ProduceRequest.Topic { Name = "ünïcode" };
        empty.Partitions.Add(new ProduceRequest.Partition { Index = 2, Records = [] });
        request.Topics.Add(empty);
        return request;
    }

    // Goal: every version 0-11 round-trips request objects through the wire and the allocation-free reader.
    [Theory]
    [MemberData(nameof(Versions))]
    public void RequestRoundTripsThroughReader(short version)
    {
        ProduceRequest request = SampleRequest();
        byte[] body = Codec.Encode((ref KafkaWriter w) => request.Write(ref w, version));
        var seen = new List<string>();
        WithReader(body, version, (ref ProduceRequestReader reader) =>
        {
            Assert.Equal(version < 3, reader.TransactionalIdIsNull);
            Assert.Equal(-1, reader.Acks);
            Assert.Equal(1234, reader.TimeoutMs);
            while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out _))
            {
                while (reader.TryReadPartition(out ProducePartitionData p))
                {
                    seen.Add($"{Encoding.UTF8.GetString(name)}/{p.PartitionIndex}/{(p.RecordsIsNull ? "null" : p.Records.Length.ToString())}");
                }
            }
        });
        Assert.Equal(["orders/0/61", "orders/7/null", "ünïcode/2/0"], seen);
        ProduceRequest back = Codec.Decode(body, (ref KafkaReader r) => ProduceRequest.Read(ref r, version));
        Assert.Equal(body, Codec.Encode((ref KafkaWriter w) => back.Write(ref w, version)));
        Codec.AssertEveryTruncationRejected(body, (ref KafkaReader r) => new ProduceRequestReader(r.Buffer, version).TopicCount);
    }

    // Goal: the response writer's frame equals the object codec's encoding for every version and reads back with the
    // values given; the MaxResponseSize bound holds.
    [Theory]
    [MemberData(nameof(Versions))]
    public void ResponseWriterMatchesObjectCodec(short version)
    {
        byte[] body = Codec.Encode((ref KafkaWriter w) => SampleRequest().Write(ref w, version));
        var buffer = new byte[4096];
        int length = 0;
        int bound = 0;
        WithReader(body, version, (ref ProduceRequestReader reader) =>
        {
            bound = reader.MaxResponseSize;
            var writer = new ProduceResponseWriter(buffer, version, correlationId: 55, reader.TopicCount);
            while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out int partitions))
            {
                writer.BeginTopic(name, partitions);
                while (reader.TryReadPartition(out ProducePartitionData p))
                {
                    if (p.RecordsIsNull)
                    {
                        writer.WritePartition(p.PartitionIndex, ErrorCode.InvalidRecord, -1, errorMessage: "null records",
                            currentLeaderId: 1, currentLeaderEpoch: 4);
                    }
                    else
                    {
                        writer.WritePartition(p.PartitionIndex, ErrorCode.None, 100 + p.PartitionIndex, 1_700_000_000_000, 5);
                    }
                }
                writer.EndTopic();
            }
            length = writer.Complete(throttleTimeMs: 9);
        });
        Assert.True(length <= bound + 3 + "null records".Length, $"frame {length} exceeds bound {bound}");
        bool flexible = version >= 9;
        var frame = new KafkaReader(buffer.AsSpan(0, length));
        Assert.Equal(length - 4, frame.ReadInt32());
        Assert.Equal(55, ResponseHeader.Read(ref frame, flexible));
        byte[] responseBody = frame.ReadRaw(frame.Remaining).ToArray();
        ProduceResponse parsed = Codec.Decode(responseBody, (ref KafkaReader r) => ProduceResponse.Read(ref r, version));
        ProduceResponse.Partition ok = parsed.Topics[0].Partitions[0];
        ProduceResponse.Partition bad = parsed.Topics[0].Partitions[1];
        Assert.Equal(100, ok.BaseOffset);
        Assert.Equal(version >= 2 ? 1_700_000_000_000 : -1, ok.LogAppendTimeMs);
        Assert.Equal(version >= 5 ? 5 : -1, ok.LogStartOffset);
        Assert.Equal(ErrorCode.InvalidRecord, bad.ErrorCode);
        Assert.Equal(version >= 8 ? "null records" : null, bad.ErrorMessage);
        Assert.Equal(version >= 10 ? 1 : -1, bad.CurrentLeaderId);
        Assert.Equal(version >= 10 ? 4 : -1, bad.CurrentLeaderEpoch);
        Assert.Equal(version >= 1 ? 9 : 0, parsed.ThrottleTimeMs);
        Assert.Equal("ünïcode", parsed.Topics[1].Name);
        Assert.Equal(responseBody, Codec.Encode((ref KafkaWriter w) => parsed.Write(ref w, version)));
        Codec.AssertEveryTruncationRejected(responseBody, (ref KafkaReader r) => ProduceResponse.Read(ref r, version));
    }

    // Goal: the v9 response frame matches the schema byte for byte (header v1, compact forms, throttle last).
    [Fact]
    public void V9ResponseMatchesHandBuiltFixture()
    {
        byte[] expected = new WireBuilder()
            .I32(99).NoTags()                                              // header v1
            .CArr(1).CStr("orders").CArr(1)
            .I32(0).I16(0).I64(42).I64(-1).I64(0).CArr(0).CNullStr().NoTags() // Index..LogStartOffset, RecordErrors, ErrorMessage
            .NoTags()
            .I32(0).NoTags()                                               // ThrottleTimeMs, body tags
            .ToFrame();
        var buffer = new byte[256];
        var writer = new ProduceResponseWriter(buffer, 9, 99, 1);
        writer.BeginTopic("orders"u8, 1);
        writer.WritePartition(0, ErrorCode.None, 42, -1, 0);
        writer.EndTopic();
        int length = writer.Complete();
        Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());
    }

    // Goal: the writer refuses to emit a frame whose counts disagree with what was declared.
    [Fact]
    public void ResponseWriterEnforcesDeclaredCounts()
    {
        var buffer = new byte[256];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new ProduceResponseWriter(buffer, 7, 1, 1);
            writer.BeginTopic("t"u8, 2);
            writer.WritePartition(0, ErrorCode.None, 0);
            writer.EndTopic();
        });
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new ProduceResponseWriter(buffer, 7, 1, 2);
            writer.BeginTopic("t"u8, 0);
            writer.EndTopic();
            writer.Complete();
        });
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new ProduceResponseWriter(new byte[20], 7, 1, 1);
            writer.BeginTopic("a-topic-name-that-does-not-fit"u8, 1);
        });
    }

    // Goal: malformed bodies are refused by the constructor: negative record length, huge partition count, trailing
    // bytes, a null topic name, and an unserved version.
    [Fact]
    public void MalformedRequestsAreRefused()
    {
        byte[] negativeRecords = new WireBuilder().NullStr().I16(1).I32(0).Arr(1).Str("t").Arr(1).I32(0).I32(-2).ToArray();
        byte[] hugeCount = new WireBuilder().NullStr().I16(1).I32(0).Arr(1).Str("t").Arr(int.MaxValue).I32(0).ToArray();
        byte[] trailing = new WireBuilder().NullStr().I16(1).I32(0).Arr(0).Raw(0).ToArray();
        byte[] nullTopic = new WireBuilder().NullStr().I16(1).I32(0).Arr(1).NullStr().Arr(0).ToArray();
        foreach (byte[] body in new[] { negativeRecords, hugeCount, trailing, nullTopic })
        {
            Assert.Throws<KafkaProtocolException>(() => new ProduceRequestReader(body, 7).TopicCount);
        }
        Assert.Throws<KafkaProtocolException>(() => new ProduceRequestReader(trailing, 12).TopicCount);
    }

    // Goal: random corruption of a valid v9 body either parses and iterates fully, or throws KafkaProtocolException;
    // nothing else escapes. Method: 3000 seeded single- and multi-byte mutations.
    [Fact]
    public void CorruptedRequestsOnlyThrowProtocolErrors()
    {
        byte[] original = V9Body(Batch(61, 1), Batch(30, 2), Batch(10, 3));
        var random = new Random(20240611);
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
                var reader = new ProduceRequestReader(body, 9);
                while (reader.TryReadTopic(out _, out _))
                {
                    while (reader.TryReadPartition(out ProducePartitionData p))
                    {
                        Assert.True(p.RecordsOffset + p.Records.Length <= body.Length);
                    }
                }
            }
            catch (KafkaProtocolException)
            {
            }
        }
    }
}
