using System;
using System.Diagnostics;
using System.Threading;

namespace FastMQ.Benchmarks.Tests.Micro;

/// <summary>
/// Runs a benchmark operation until the JIT has tiered it (the same rule as AllocationBudgetTests: at least 1 s and
/// until one whole window allocates nothing, at most 4 s), then counts this thread's allocated bytes over
/// <c>count</c> more calls. The delegate is created by the caller before the count starts.
/// </summary>
internal static class SteadyState
{
    private const int WindowCalls = 200;
    private static readonly TimeSpan MinWarmup = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan WindowPause = TimeSpan.FromMilliseconds(20);

    /// <summary>Returns the bytes allocated by <paramref name="count"/> calls and the sum of their results.</summary>
    public static (long AllocatedBytes, long Sum) Measure(Func<long> operation, int count)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < MaxWarmup)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < WindowCalls; i++)
            {
                _ = operation();
            }
            if (GC.GetAllocatedBytesForCurrentThread() == before && clock.Elapsed >= MinWarmup)
            {
                break;
            }
            Thread.Sleep(WindowPause);
        }
        long sum = 0;
        long start = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < count; i++)
        {
            sum += operation();
        }
        return (GC.GetAllocatedBytesForCurrentThread() - start, sum);
    }
}
