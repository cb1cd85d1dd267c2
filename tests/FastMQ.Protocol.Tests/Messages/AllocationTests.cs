using System;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using Xunit;

namespace FastMQ.Protocol.Tests.Messages;

/// <summary>The hot-path codecs allocate nothing per call once warmed up.</summary>
public class AllocationTests
{
    private const int Iterations = 20_000;

    private static byte[] ProduceBody(short version)
    {
        var request = new ProduceRequest { Acks = -1, TimeoutMs = 30000 };
        for (int t = 0; t < 3; t++)
        {
            var topic = new ProduceRequest.Topic { Name = "topic-" + t };
            for (int p = 0; p < 4; p++)
            {
                topic.Partitions.Add(new ProduceRequest.Partition { Index = p, Records = new byte[100 + p] });
            }
            request.Topics.Add(topic);
        }
        return Codec.Encode((ref KafkaWriter w) => request.Write(ref w, version));
    }

    private static byte[] FetchBody(short version)
    {
        var request = new FetchRequest { RackId = "r", ClusterId = "c" };
        for (int t = 0; t < 3; t++)
        {
            var topic = new FetchRequest.Topic { Name = "topic-" + t };
            for (int p = 0; p < 4; p++)
            {
                topic.Partitions.Add(new FetchRequest.Partition { PartitionIndex = p, FetchOffset = p * 10 });
            }
            request.Topics.Add(topic);
        }
        request.ForgottenTopics.Add(new FetchRequest.ForgottenTopic { Name = "x", Partitions = [1] });
        return Codec.Encode((ref KafkaWriter w) => request.Write(ref w, version));
    }

    /// <summary>Read a Produce request and answer it, as a handler would; returns a checksum so nothing is elided.</summary>
    private static long ProduceRoundTrip(byte[] body, short version, byte[] output)
    {
        var reader = new ProduceRequestReader(body, version);
        long sum = 0;
        while (reader.TryReadTopic(out _, out _))
        {
            while (reader.TryReadPartition(out ProducePartitionData p))
            {
                sum += p.Records.Length;
            }
        }
        reader.Reset();
        var writer = new ProduceResponseWriter(output, version, 1, reader.TopicCount);
        while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out int partitions))
        {
            writer.BeginTopic(name, partitions);
            while (reader.TryReadPartition(out ProducePartitionData p))
            {
                writer.WritePartition(p.PartitionIndex, ErrorCode.None, sum, -1, 0);
            }
            writer.EndTopic();
        }
        return sum + writer.Complete();
    }

    /// <summary>Read a Fetch request and write its response with in-memory and external records.</summary>
    private static long FetchRoundTrip(byte[] body, short version, byte[] records, byte[] output)
    {
        var reader = new FetchRequestReader(body, version);
        var writer = new FetchResponseWriter(output, version, 2, reader.TopicCount);
        long sum = reader.RackId.Length + reader.ClusterId.Length;
        while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out int partitions))
        {
            writer.BeginTopic(name, partitions);
            while (reader.TryReadPartition(out FetchPartitionRequest p))
            {
                writer.BeginPartition(new FetchPartitionHeader(p.Partition, ErrorCode.None, 100, 100, 0), records.Length);
                if ((p.Partition & 1) == 0)
                {
                    writer.WriteRecords(records);
                }
                else
                {
                    sum += writer.MarkRecordsExternal();
                }
                writer.EndPartition();
            }
            writer.EndTopic();
        }
        while (reader.TryReadForgottenTopic(out _, out Int32ArrayView forgotten))
        {
            sum += forgotten[0];
        }
        return sum + writer.Complete();
    }

    // Goal: Produce request reads (validation, iteration, rewind) and Produce response writes allocate zero bytes;
    // method: GC.GetAllocatedBytesForCurrentThread around 20,000 request/response cycles after warm-up, v7 and v11.
    [Theory]
    [InlineData(7)]
    [InlineData(11)]
    public void ProduceHotPathAllocatesNothing(short version)
    {
        byte[] body = ProduceBody(version);
        byte[] output = new byte[4096];
        long check = ProduceRoundTrip(body, version, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (int i = 0; i < Iterations; i++)
        {
            sum += ProduceRoundTrip(body, version, output);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(check * Iterations, sum);
        Assert.Equal(0, allocated);
    }

    // Goal: Fetch request reads and Fetch response writes (copied and external records) allocate zero bytes;
    // method: as above, v11 and v12.
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void FetchHotPathAllocatesNothing(short version)
    {
        byte[] body = FetchBody(version);
        byte[] records = new byte[512];
        byte[] output = new byte[16384];
        long check = FetchRoundTrip(body, version, records, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (int i = 0; i < Iterations; i++)
        {
            sum += FetchRoundTrip(body, version, records, output);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(check * Iterations, sum);
        Assert.Equal(0, allocated);
    }

    // Goal: request header parsing and the table-driven ApiVersions answer (per connection) allocate nothing either.
    [Fact]
    public void HeaderAndApiVersionsAllocateNothing()
    {
        byte[] request = new WireBuilder().I16(1).I16(12).I32(5).Str("rdkafka").NoTags().ToArray();
        byte[] output = new byte[1024];
        ApiVersionsTable table = ApiVersionsTable.Default;
        long Run()
        {
            RequestHeader header = RequestHeader.Read(request, table);
            var writer = new KafkaWriter(output);
            int length = ApiVersionsResponse.WriteResponse(ref writer, header.CorrelationId, 3, table);
            length += ApiVersionsResponse.WriteResponse(ref writer, header.CorrelationId, 9, table);
            return length + header.Length;
        }
        long check = Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (int i = 0; i < Iterations; i++)
        {
            sum += Run();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(check * Iterations, sum);
    }
}
