using System.IO;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace FastMQ.Benchmarks.Infrastructure;

/// <summary>
/// BenchmarkDotNet settings for the CPU-only storage benchmarks: in-process, ShortRun (3 warmups, 3 iterations,
/// automatic invocation count), <see cref="MemoryDiagnoser"/> and the MB/s column. Unlike
/// <see cref="StorageBenchConfig"/> the pilot stage may run as long as it likes: nothing is written to disk.
/// </summary>
public sealed class CpuBenchConfig : ManualConfig
{
    public CpuBenchConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.DontLogOutput).WithId("CpuShort"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new ThroughputColumn());
        ArtifactsPath = Path.Combine(Path.GetTempPath(), "fastmq-bdn");
    }
}
