using System.IO;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace FastMQ.Benchmarks.Infrastructure;

/// <summary>
/// BenchmarkDotNet settings for the storage suite: in-process (the benchmarks own files and an io_uring, and a
/// child process per case would add minutes on two cores), a fixed, small amount of work per case so the whole
/// suite writes a few GiB and finishes in minutes, and <see cref="MemoryDiagnoser"/> so per-append allocations show.
/// </summary>
/// <remarks>
/// Each case: 1 warmup and <see cref="Iterations"/> measured iterations of <see cref="InvocationsPerIteration"/>
/// invocations; a benchmark method does <see cref="OperationsPerInvoke"/> operations (appends or writes) per
/// invocation. The invocation count is fixed, so BenchmarkDotNet skips its pilot stage (which would otherwise keep
/// doubling the amount written until an iteration lasts 500 ms). Reports go to /tmp/fastmq-bdn. Loggers and the
/// default columns come from the switcher's default config, which BenchmarkDotNet merges with this one.
/// </remarks>
public sealed class StorageBenchConfig : ManualConfig
{
    public const int OperationsPerInvoke = 128;
    public const int InvocationsPerIteration = 8;
    public const int Iterations = 5;

    public StorageBenchConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.DontLogOutput)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(Iterations)
            .WithInvocationCount(InvocationsPerIteration)
            .WithUnrollFactor(1)
            .WithId("StorageShort"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new ThroughputColumn());
        ArtifactsPath = Path.Combine(Path.GetTempPath(), "fastmq-bdn");
        SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithMaxParameterColumnWidth(20);
    }
}
