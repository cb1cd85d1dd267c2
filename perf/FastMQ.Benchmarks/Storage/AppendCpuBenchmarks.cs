using System;
using BenchmarkDotNet.Attributes;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Memory;
using FastMQ.Protocol.Records;

namespace FastMQ.Benchmarks.Storage;

/// <summary>
/// The CPU work a log append does per byte, without any I/O: validating the batch (header and CRC-32C over the
/// whole batch) and copying it into the aligned write buffer. Their MB/s is the ceiling for appends when this
/// work is not overlapped with the disk. One operation = one batch.
/// </summary>
[Config(typeof(CpuBenchConfig))]
[MemoryDiagnoser]
public class AppendCpuBenchmarks
{
    private byte[] _batch = [];
    private AlignedBuffer? _buffer;

    [Params(16, 64, 256)]
    public int BatchKiB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _batch = BatchFactory.Build(BatchKiB * 1024).Bytes;
        // Room for many batches so successive copies do not hit the same cache lines (the log's buffer is 2 MiB).
        _buffer = new AlignedBuffer(2 << 20);
    }

    [GlobalCleanup]
    public void Cleanup() => _buffer?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = StorageBenchConfig.OperationsPerInvoke)]
    public int Validate()
    {
        int total = 0;
        for (int i = 0; i < StorageBenchConfig.OperationsPerInvoke; i++)
        {
            if (RecordBatchValidator.Validate(_batch, out int size) != BatchValidation.Valid)
            {
                throw new InvalidOperationException("the benchmark batch is invalid");
            }
            total += size;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = StorageBenchConfig.OperationsPerInvoke)]
    public int Copy()
    {
        Span<byte> buffer = _buffer!.Span;
        int position = 0;
        for (int i = 0; i < StorageBenchConfig.OperationsPerInvoke; i++)
        {
            if (position + _batch.Length > buffer.Length)
            {
                position = 0;
            }
            _batch.CopyTo(buffer[position..]);
            position += _batch.Length;
        }
        return position;
    }
}
