using BenchmarkDotNet.Attributes;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Protocol.Records;

namespace FastMQ.Benchmarks.Client;

/// <summary>
/// FastMQ.Client's produce hot path per record (no network; see <see cref="ProducerAppendDriver"/>): expected 0 B
/// allocated per operation in every case. Run: <c>dotnet run -c Release --project perf/FastMQ.Benchmarks -- --filter '*ProducerBenchmarks*'</c>.
/// </summary>
[Config(typeof(CpuBenchConfig))]
public class ProducerBenchmarks
{
    private const int RecordsPerInvoke = 10_000;

    private ProducerAppendDriver _driver = null!;

    /// <summary>Value size in bytes.</summary>
    [Params(100, 1024)]
    public int ValueBytes { get; set; }

    /// <summary>Batch codec.</summary>
    [Params(CompressionCodec.None, CompressionCodec.Lz4)]
    public CompressionCodec Codec { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _driver = new ProducerAppendDriver(ValueBytes, withHeader: true, Codec);
        _driver.Produce(200_000); // pools and codec state reach their steady size
    }

    [GlobalCleanup]
    public void Cleanup() => _driver.Dispose();

    /// <summary>One record: encode into the open batch; every ~1 MB, seal (CRC, compression) and recycle.</summary>
    [Benchmark(OperationsPerInvoke = RecordsPerInvoke)]
    public void Produce() => _driver.Produce(RecordsPerInvoke);
}
