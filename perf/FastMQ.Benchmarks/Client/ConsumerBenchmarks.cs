using BenchmarkDotNet.Attributes;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Protocol.Records;

namespace FastMQ.Benchmarks.Client;

/// <summary>
/// FastMQ.Client's consume hot path per record (no network; see <see cref="ConsumerReadDriver"/>): a pooled fetch
/// frame of real batches read record by record as <c>Consume</c> does. Expected 0 B allocated per operation.
/// Run: <c>dotnet run -c Release --project perf/FastMQ.Benchmarks -- --filter '*ConsumerBenchmarks*'</c>.
/// </summary>
[Config(typeof(CpuBenchConfig))]
public class ConsumerBenchmarks
{
    private const int RecordsPerFrame = 10_000;

    private ConsumerReadDriver _driver = null!;

    /// <summary>Value size in bytes.</summary>
    [Params(100, 1024)]
    public int ValueBytes { get; set; }

    /// <summary>Batch codec.</summary>
    [Params(CompressionCodec.None, CompressionCodec.Lz4)]
    public CompressionCodec Codec { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _driver = new ConsumerReadDriver(ValueBytes, RecordsPerFrame, Codec);
        for (int i = 0; i < 20; i++)
        {
            _driver.ReadFrame(); // frame pool, decompression buffers and fetch objects reach their steady size
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _driver.Dispose();

    /// <summary>One record: parse it out of the pooled frame (per batch: CRC check, decompression; per frame: one lock).</summary>
    [Benchmark(OperationsPerInvoke = RecordsPerFrame)]
    public long Consume() => _driver.ReadFrame();
}
