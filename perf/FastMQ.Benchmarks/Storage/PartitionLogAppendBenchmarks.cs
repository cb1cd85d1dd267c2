using System;
using BenchmarkDotNet.Attributes;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Storage.Devices;

namespace FastMQ.Benchmarks.Storage;

/// <summary>
/// Append throughput of one <c>PartitionLog</c>: batches of 1 KiB records (<see cref="BatchKiB"/>), for each flush
/// policy and device. One operation = one batch appended (validate, assign offsets, copy, schedule the write, one
/// storage turn); each invocation appends <see cref="StorageBenchConfig.OperationsPerInvoke"/> batches and then
/// waits until all of them may be acknowledged under the policy, so the time includes the disk.
/// </summary>
/// <remarks>The batch is built once in setup. Allocated must read 0 B: the append path allocates nothing.</remarks>
[Config(typeof(StorageBenchConfig))]
[MemoryDiagnoser]
public class PartitionLogAppendBenchmarks
{
    private BenchDirectory? _directory;
    private AppendDriver? _driver;

    [Params(16, 64, 256)]
    public int BatchKiB { get; set; }

    [Params(FlushPolicy.Fsync, FlushPolicy.Group, FlushPolicy.None)]
    public FlushPolicy Policy { get; set; }

    [Params(DeviceKind.IoUring, DeviceKind.Pwrite)]
    public DeviceKind Device { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = new BenchDirectory("log");
        BenchBatch batch = BatchFactory.Build(BatchKiB * 1024);
        _driver = new AppendDriver(_directory.File("log"), Device, Policy.ToCommitPolicy(), batch);
        // The job's single short warmup iteration may not outlast JIT tiering; this does, writing only a few MiB.
        _driver.WarmUp(TimeSpan.FromSeconds(0.5));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _driver?.Dispose();
        _directory?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = StorageBenchConfig.OperationsPerInvoke)]
    public long Append()
    {
        AppendDriver driver = _driver!;
        driver.Append(StorageBenchConfig.OperationsPerInvoke);
        driver.WaitAcknowledged();
        return driver.AppendedBatches;
    }
}
