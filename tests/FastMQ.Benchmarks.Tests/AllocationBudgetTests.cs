using System;
using System.Diagnostics;
using System.Threading;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Benchmarks.Storage;
using FastMQ.Core;
using FastMQ.Storage.Devices;
using Xunit;

namespace FastMQ.Benchmarks.Tests;

public class AllocationBudgetTests
{
    private const int WindowAppends = 50;

    // Tiering runs on timers and call counts, not on bytes written: pausing between warm-up windows keeps the
    // warm-up to a few MiB of disk writes instead of a second of full-speed appends.
    private static readonly TimeSpan WindowPause = TimeSpan.FromMilliseconds(40);

    // Steady state starts once the JIT has finished tiering the loop: swapping in tier-1 code can allocate a few
    // bytes once (seen: 32 B on the pwrite path ~0.25 s after the first call, gone with DOTNET_TieredPGO=0).
    // Warm up at least this long and until one whole window allocates nothing …
    private static readonly TimeSpan MinWarmup = TimeSpan.FromSeconds(1);

    // … but not forever: a path that allocates on every append never gets a clean window, and then the measured
    // loop below fails.
    private static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(4);

    public static TheoryData<DeviceKind, FlushPolicy, int> Cases => new()
    {
        { DeviceKind.IoUring, FlushPolicy.None, 2000 },
        { DeviceKind.IoUring, FlushPolicy.Group, 2000 },
        { DeviceKind.IoUring, FlushPolicy.Fsync, 1000 },
        { DeviceKind.Pwrite, FlushPolicy.None, 2000 },
        { DeviceKind.Pwrite, FlushPolicy.Group, 2000 },
        { DeviceKind.Pwrite, FlushPolicy.Fsync, 300 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Append_InSteadyState_AllocatesZeroBytes(DeviceKind device, FlushPolicy policy, int appends)
    {
        // Goal: the benchmarked append loop (append + storage turn, then wait for acks) allocates nothing once warm.
        // Method: warm a real log on disk, then count this thread's allocated bytes over many 16 KiB appends.
        using var directory = new BenchDirectory("alloc-test");
        BenchBatch batch = BatchFactory.Build(16 * 1024);
        using var driver = new AppendDriver(directory.File("log"), device, policy.ToCommitPolicy(), batch);
        WarmUp(driver);
        Offset startEnd = driver.Log.LogEndOffset;

        long before = GC.GetAllocatedBytesForCurrentThread();
        driver.Append(appends);
        driver.WaitAcknowledged();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        // The loop really appended and the log acknowledged everything (the budget is not met by doing nothing).
        Assert.Equal(startEnd.Value + ((long)appends * batch.RecordCount), driver.Log.LogEndOffset.Value);
        Assert.Equal(driver.Log.LogEndOffset, driver.Log.AcknowledgeableOffset);
        Assert.Equal(device == DeviceKind.IoUring ? "io_uring" : "pwrite", driver.DeviceName);
    }

    private static void WarmUp(AppendDriver driver)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < MaxWarmup)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            driver.Append(WindowAppends);
            driver.WaitAcknowledged();
            bool clean = GC.GetAllocatedBytesForCurrentThread() == before;
            if (clean && clock.Elapsed >= MinWarmup)
            {
                return;
            }
            Thread.Sleep(WindowPause);
        }
    }
}
