using System;
using System.Collections.Generic;
using System.Text;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using FastMQ.Protocol.Records;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>
/// Whole request frames (size prefix, header, body) built with FastMQ.Protocol's request codecs, and record batches
/// built with <see cref="RecordBatchBuilder"/>: valid seeds for the bad-input, fuzz and allocation tests.
/// </summary>
public static class KafkaRequests
{
    public const string ClientId = "hardening";

    public delegate void BodyWriter(ref KafkaWriter writer);

    /// <summary>A complete frame: INT32 size, request header (v1, or v2 when the API version is flexible), body.</summary>
    public static byte[] Frame(ApiKey key, short version, int correlationId, BodyWriter body)
    {
        bool flexible = ApiVersionsTable.Default.TryGet(key, out ApiVersionRange range) && range.IsFlexible(version);
        var writer = KafkaWriter.CreatePooled();
        try
        {
            int slot = writer.BeginSizePrefix();
            RequestHeader.Write(ref writer, key, version, correlationId, ClientId, flexible);
            body(ref writer);
            writer.EndSizePrefix(slot);
            return writer.Written.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    public static byte[] ApiVersions(short version, int correlationId) =>
        Frame(ApiKey.ApiVersions, version, correlationId, (ref KafkaWriter w) =>
        {
            if (version <= ApiVersionsRequest.MaxVersion)
            {
                new ApiVersionsRequest { ClientSoftwareName = "fastmq-hardening", ClientSoftwareVersion = "1.0" }.Write(ref w, version);
            }
        });

    public static byte[] Metadata(short version, int correlationId, string? topic, bool allowAutoCreate = true) =>
        Frame(ApiKey.Metadata, version, correlationId, (ref KafkaWriter w) =>
        {
            var request = new MetadataRequest { AllowAutoTopicCreation = allowAutoCreate };
            if (topic is not null)
            {
                request.Topics = [new MetadataRequest.Topic { Name = topic }];
            }
            request.Write(ref w, version);
        });

    public static byte[] Produce(short version, int correlationId, string topic, int partition, byte[]? records, short acks = 1) =>
        Frame(ApiKey.Produce, version, correlationId, (ref KafkaWriter w) =>
        {
            var request = new ProduceRequest { Acks = acks, TimeoutMs = 30_000 };
            var t = new ProduceRequest.Topic { Name = topic };
            t.Partitions.Add(new ProduceRequest.Partition { Index = partition, Records = records });
            request.Topics.Add(t);
            request.Write(ref w, version);
        });

    public static byte[] Fetch(short version, int correlationId, string topic, int partition, long offset,
        int maxWaitMs = 0, int minBytes = 0, int partitionMaxBytes = 1024 * 1024) =>
        Frame(ApiKey.Fetch, version, correlationId, (ref KafkaWriter w) =>
        {
            var request = new FetchRequest { MaxWaitMs = maxWaitMs, MinBytes = minBytes, MaxBytes = 8 * 1024 * 1024 };
            var t = new FetchRequest.Topic { Name = topic };
            t.Partitions.Add(new FetchRequest.Partition { PartitionIndex = partition, FetchOffset = offset, PartitionMaxBytes = partitionMaxBytes });
            request.Topics.Add(t);
            request.Write(ref w, version);
        });

    public static byte[] ListOffsets(short version, int correlationId, string topic, int partition, long timestamp) =>
        Frame(ApiKey.ListOffsets, version, correlationId, (ref KafkaWriter w) =>
        {
            var request = new ListOffsetsRequest();
            var t = new ListOffsetsRequest.Topic { Name = topic };
            t.Partitions.Add(new ListOffsetsRequest.Partition { PartitionIndex = partition, Timestamp = timestamp });
            request.Topics.Add(t);
            request.Write(ref w, version);
        });

    public static byte[] CreateTopics(short version, int correlationId, string topic, int partitions,
        IReadOnlyDictionary<string, string>? configs = null, bool validateOnly = false) =>
        Frame(ApiKey.CreateTopics, version, correlationId, (ref KafkaWriter w) =>
        {
            var request = new CreateTopicsRequest { TimeoutMs = 10_000, ValidateOnly = validateOnly };
            var t = new CreateTopicsRequest.Topic { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 };
            if (configs is not null)
            {
                foreach ((string name, string value) in configs)
                {
                    t.Configs.Add(new CreateTopicsRequest.Config { Name = name, Value = value });
                }
            }
            request.Topics.Add(t);
            request.Write(ref w, version);
        });

    /// <summary>One uncompressed (or <paramref name="codec"/>) batch of the given values.</summary>
    public static byte[] Batch(IReadOnlyList<byte[]> values, CompressionCodec codec = CompressionCodec.None)
    {
        using var builder = new RecordBatchBuilder();
        builder.Reset(new RecordBatchOptions { Compression = codec });
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (byte[] value in values)
        {
            builder.Append(now, RecordBytes.Null, value);
        }
        byte[] batch = new byte[builder.Seal()];
        if (!builder.TryWriteTo(batch, out _))
        {
            throw new InvalidOperationException("sealed batch did not fit its own size");
        }
        return batch;
    }

    public static byte[] Batch(params string[] values)
    {
        var list = new List<byte[]>(values.Length);
        foreach (string v in values)
        {
            list.Add(Encoding.UTF8.GetBytes(v));
        }
        return Batch(list);
    }

    public static ProduceResponse ReadProduce(byte[] frame, short version, int expectedCorrelationId)
    {
        CheckCorrelation(frame, ApiKey.Produce, version, expectedCorrelationId, out int body);
        var reader = new KafkaReader(frame.AsSpan(body));
        return ProduceResponse.Read(ref reader, version);
    }

    public static FetchResponse ReadFetch(byte[] frame, short version, int expectedCorrelationId)
    {
        CheckCorrelation(frame, ApiKey.Fetch, version, expectedCorrelationId, out int body);
        var reader = new KafkaReader(frame.AsSpan(body));
        return FetchResponse.Read(ref reader, version);
    }

    public static MetadataResponse ReadMetadata(byte[] frame, short version, int expectedCorrelationId)
    {
        CheckCorrelation(frame, ApiKey.Metadata, version, expectedCorrelationId, out int body);
        var reader = new KafkaReader(frame.AsSpan(body));
        return MetadataResponse.Read(ref reader, version);
    }

    public static CreateTopicsResponse ReadCreateTopics(byte[] frame, short version, int expectedCorrelationId)
    {
        CheckCorrelation(frame, ApiKey.CreateTopics, version, expectedCorrelationId, out int body);
        var reader = new KafkaReader(frame.AsSpan(body));
        return CreateTopicsResponse.Read(ref reader, version);
    }

    /// <summary>Every record value in <paramref name="records"/> (a fetch response's record batches), in order.</summary>
    public static List<byte[]> Values(byte[]? records, out long nextOffset)
    {
        var values = new List<byte[]>();
        nextOffset = -1;
        ReadOnlySpan<byte> rest = records;
        while (rest.Length >= RecordBatchDescriptor.HeaderSize
            && RecordBatchValidator.Validate(rest, out int size) == BatchValidation.Valid && size <= rest.Length)
        {
            var batch = new RecordBatchReader(rest[..size]);
            while (batch.TryReadNext(out Record record))
            {
                values.Add(record.Value.ToArray());
            }
            nextOffset = batch.Header.BaseOffset + batch.Header.LastOffsetDelta + 1;
            rest = rest[size..];
        }
        return values;
    }

    private static void CheckCorrelation(byte[] frame, ApiKey key, short version, int expected, out int body)
    {
        int correlationId = RawKafkaConnection.ReadHeader(frame, key, version, out body);
        if (correlationId != expected)
        {
            throw new InvalidOperationException($"{key} response has correlation id {correlationId}, expected {expected}");
        }
    }
}
