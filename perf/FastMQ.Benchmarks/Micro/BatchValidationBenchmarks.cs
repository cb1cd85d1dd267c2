using System;
using BenchmarkDotNet.Attributes;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Benchmarks.Storage;
using FastMQ.Protocol.Records;

namespace FastMQ.Benchmarks.Micro;

/// <summary>
/// CRC-32C alone (hardware SSE4.2/ARMv8 CRC through <see cref="Crc32C"/>) against the whole batch validation
/// (<see cref="RecordBatchValidator"/>: header checks plus that CRC), per batch size. A 2 KiB batch holds one 1 KiB
/// record. AppendCpuBenchmarks.Validate measures the same validation in the append path's units (MB/s).
/// One operation = one batch.
/// </summary>
[Config(typeof(CpuBenchConfig))]
[MemoryDiagnoser]
public class BatchValidationBenchmarks
{
    private byte[] _batch = [];

    [Params(2048, 16 * 1024, 256 * 1024)]
    public int BatchBytes { get; set; }

    [GlobalSetup]
    public void Setup() => _batch = BatchFactory.Build(BatchBytes).Bytes;

    [Benchmark]
    public uint Crc() => Crc32C.Compute(_batch.AsSpan(RecordBatchDescriptor.AttributesOffset));

    [Benchmark(Baseline = true)]
    public int Validate()
    {
        if (RecordBatchValidator.Validate(_batch, out int size) != BatchValidation.Valid)
        {
            throw new InvalidOperationException("the benchmark batch is invalid");
        }
        return size;
    }
}
