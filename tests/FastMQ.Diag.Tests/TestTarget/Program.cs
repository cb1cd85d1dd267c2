using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;

namespace FastMQ.Diag.TestTarget;

/// <summary>
/// Allocates about 40 MB/s of short-lived arrays (so gen0 GCs happen every few hundred milliseconds), spins the
/// CPU for a few milliseconds per loop (so CPU samples exist), keeps <see cref="RetainedCount"/> RetainedItems alive,
/// and counts its loops on the FastMQ.Broker meter. Prints "ready" once set up; exits when stdin closes.
/// </summary>
internal static class Program
{
    public const int RetainedCount = 20_000;

    private static readonly List<RetainedItem> s_retained = [];

    private static int Main()
    {
        for (int i = 0; i < RetainedCount; i++)
        {
            s_retained.Add(new RetainedItem(i));
        }
        using var meter = new Meter("FastMQ.Broker");
        Counter<long> loops = meter.CreateCounter<long>("fastmq.test_target.loops", "{loop}", "loops of the test target");
        var stdinClosed = new Thread(() =>
        {
            _ = Console.In.ReadToEnd();
            Environment.Exit(0);
        })
        { IsBackground = true };
        stdinClosed.Start();
        Console.WriteLine("ready");
        long sink = 0;
        while (true)
        {
            for (int i = 0; i < 50; i++)
            {
                byte[] garbage = new byte[8000];
                garbage[i] = (byte)i;
                sink += garbage[i];
            }
            sink += Spin(TimeSpan.FromMilliseconds(2));
            loops.Add(1);
            Thread.Sleep(8);
            if (sink == long.MinValue)
            {
                Console.WriteLine(s_retained.Count);
            }
        }
    }

    private static long Spin(TimeSpan time)
    {
        long end = Environment.TickCount64 + (long)time.TotalMilliseconds;
        long x = 1;
        while (Environment.TickCount64 < end)
        {
            for (int i = 0; i < 1000; i++)
            {
                x = (x * 6364136223846793005L) + 1442695040888963407L;
            }
        }
        return x;
    }
}
