using System;
using BenchmarkDotNet.Attributes;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Benchmarks.Storage;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Records;

namespace FastMQ.Benchmarks.Micro;

/// <summary>
/// Parsing a received Produce frame as the broker does before any append: the request header against the broker's
/// API table (RequestDispatcher), the body with <see cref="ProduceRequestReader"/> (whose constructor validates the
/// whole body), then per partition the batch header fields the handler checks (magic, attributes, producer id).
/// Record bytes are not touched here (that is <see cref="BatchValidationBenchmarks"/>). One operation = one request.
/// </summary>
[Config(typeof(CpuBenchConfig))]
[MemoryDiagnoser]
public class FrameParseBenchmarks
{
    /// <summary>Produce v9: the first flexible version, what current Java clients and librdkafka 2.x send.</summary>
    public const short ProduceVersion = 9;

    private byte[] _frame = [];

    [Params(1, 12)]
    public int Partitions { get; set; }

    [GlobalSetup]
    public void Setup() => _frame = RequestFrames.Produce(ProduceVersion, Partitions, BatchFactory.Build(16 * 1024).Bytes);

    [Benchmark]
    public int RequestHeader()
    {
        var header = Protocol.Messages.RequestHeader.Read(_frame, ApiVersionsTable.WithGroups);
        return header.Length + header.CorrelationId;
    }

    [Benchmark(Baseline = true)]
    public long ProduceRequest()
    {
        var header = Protocol.Messages.RequestHeader.Read(_frame, ApiVersionsTable.WithGroups);
        var reader = new ProduceRequestReader(_frame.AsSpan(header.Length), header.ApiVersion);
        long sum = reader.Acks;
        while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out _))
        {
            sum += name.Length;
            while (reader.TryReadPartition(out ProducePartitionData data))
            {
                var batch = new RecordBatchHeader(data.Records);
                sum += batch.Magic + (int)batch.Compression + batch.ProducerId + data.PartitionIndex + (batch.IsControl ? 1 : 0);
            }
        }
        return sum;
    }
}
