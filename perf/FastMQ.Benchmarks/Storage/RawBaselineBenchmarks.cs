using BenchmarkDotNet.Attributes;
using FastMQ.Benchmarks.Infrastructure;

namespace FastMQ.Benchmarks.Storage;

/// <summary>
/// The raw O_DIRECT baseline inside BenchmarkDotNet: sequential aligned writes of <see cref="ChunkKiB"/> to a
/// preallocated file, with pwrite one at a time and through one io_uring with <see cref="UringDepth"/> in flight.
/// One operation = one chunk written; chunks match the log benchmarks' batch sizes.
/// </summary>
[Config(typeof(StorageBenchConfig))]
[MemoryDiagnoser]
public class RawBaselineBenchmarks
{
    /// <summary>Writes in flight for the io_uring baseline: "a few", enough to keep a virtio queue busy.</summary>
    public const int UringDepth = 4;

    // Large enough that the measured writes of one case (about 1.3 GiB for 256 KiB chunks) mostly land on fresh
    // extents; the file wraps after that.
    private const long FileBytes = 2L << 30;

    private BenchDirectory? _directory;
    private RawDirectWriter? _writer;

    [Params(16, 64, 256)]
    public int ChunkKiB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = new BenchDirectory("raw");
        int chunkBytes = ChunkKiB * 1024;
        BenchBatch batch = BatchFactory.Build(chunkBytes);
        _writer = new RawDirectWriter(_directory.File("raw.bin"), FileBytes, chunkBytes, batch.Bytes);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer?.Dispose();
        _directory?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = StorageBenchConfig.OperationsPerInvoke)]
    public long Pwrite() => _writer!.WritePwrite((long)StorageBenchConfig.OperationsPerInvoke * _writer.ChunkBytes);

    [Benchmark(OperationsPerInvoke = StorageBenchConfig.OperationsPerInvoke)]
    public long Uring() => _writer!.WriteUring((long)StorageBenchConfig.OperationsPerInvoke * _writer.ChunkBytes, UringDepth);
}
