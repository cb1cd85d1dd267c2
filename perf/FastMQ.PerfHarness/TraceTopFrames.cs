using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;

namespace FastMQ.PerfHarness;

/// <summary>
/// Reads a CPU sampling trace (.nettrace from fastmq-diag's TraceRecorder) and ranks methods: exclusive = the sampled
/// leaf frame, inclusive = anywhere on the stack (once per sample). The .NET sample profiler samples every managed
/// thread about once a millisecond, also while it waits; frames that only wait (Monitor/WaitHandle/epoll/io_uring
/// enter, thread-pool park) are counted apart. The samples are wall-clock (a runnable thread the OS has preempted is
/// sampled where it stands), so on an overloaded machine the ranking approximates, not measures, CPU time.
/// </summary>
internal static class TraceTopFrames
{
    private static readonly string[] WaitMarkers =
    [
        "WaitHandle", "Monitor.Wait", "LowLevelLifoSemaphore", "WaitOne", "Thread.Sleep", "SpinWait", "epoll_wait",
        "WaitForSignal", "Interop+Sys.WaitForSocketEvents", "io_uring_enter", "Semaphore", "ManualResetEvent",
        "Interop.Sys.Read", "PortableThreadPool+GateThread", "ThreadPoolWorkQueue.Dispatch", "Idle", "SocketAsyncEngine.EventLoop", "IoUring.WaitForCompletions",
    ];

    private const string ShardLoop = "FastMQ.Runtime.Shard.RunLoop()";

    public sealed record Frame(string Name, long Samples, double Percent);

    /// <param name="Path">The .nettrace file.</param>
    /// <param name="Samples">Non-waiting samples (the base of the percentages).</param>
    /// <param name="WaitingSamples">Samples whose stack waits (left out of the ranking).</param>
    /// <param name="Exclusive">Leaf frames, busiest first.</param>
    /// <param name="Inclusive">Frames anywhere on the stack, busiest first.</param>
    /// <param name="WaitSites">Where the waiting samples wait: the first FastMQ frame under the wait (e.g. the network idle
    /// strategy, or the storage device waiting for a write), percent of the waiting samples.</param>
    public sealed record Report(string Path, long Samples, long WaitingSamples, IReadOnlyList<Frame> Exclusive, IReadOnlyList<Frame> Inclusive,
        IReadOnlyList<Frame> WaitSites)
    {
        public override string ToString()
        {
            var s = new System.Text.StringBuilder();
            s.Append(CultureInfo.InvariantCulture, $"{Samples:N0} samples ({WaitingSamples:N0} in waits, left out); top exclusive: ");
            for (int i = 0; i < Math.Min(8, Exclusive.Count); i++)
            {
                s.Append(CultureInfo.InvariantCulture, $"{Exclusive[i].Name} {Exclusive[i].Percent:F1} %; ");
            }
            s.Append("waits in: ");
            for (int i = 0; i < Math.Min(4, WaitSites.Count); i++)
            {
                s.Append(CultureInfo.InvariantCulture, $"{WaitSites[i].Name} {WaitSites[i].Percent:F1} %; ");
            }
            return s.ToString().TrimEnd(' ', ';');
        }
    }

    public static Report Analyze(string nettracePath, int top)
    {
        string etlx = Path.ChangeExtension(nettracePath, ".etlx");
        TraceLog.CreateFromEventPipeDataFile(nettracePath, etlx);
        var exclusive = new Dictionary<string, long>(StringComparer.Ordinal);
        var inclusive = new Dictionary<string, long>(StringComparer.Ordinal);
        var waitSites = new Dictionary<string, long>(StringComparer.Ordinal);
        long samples = 0;
        long waiting = 0;
        using (var log = new TraceLog(etlx))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (TraceEvent e in log.Events)
            {
                if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler")
                {
                    continue;
                }
                TraceCallStack? stack = e.CallStack();
                if (stack is null)
                {
                    continue;
                }
                string leaf = Name(stack.CodeAddress);
                if (IsWait(stack))
                {
                    waiting++;
                    string site = WaitSite(stack);
                    waitSites[site] = waitSites.GetValueOrDefault(site) + 1;
                    continue;
                }
                samples++;
                exclusive[leaf] = exclusive.GetValueOrDefault(leaf) + 1;
                seen.Clear();
                for (TraceCallStack? f = stack; f is not null; f = f.Caller)
                {
                    string n = Name(f.CodeAddress);
                    if (seen.Add(n))
                    {
                        inclusive[n] = inclusive.GetValueOrDefault(n) + 1;
                    }
                }
            }
        }
        File.Delete(etlx);
        return new Report(nettracePath, samples, waiting, Rank(exclusive, samples, top), Rank(inclusive, samples, top), Rank(waitSites, waiting, 8));
    }

    private static bool IsWait(TraceCallStack stack)
    {
        // A shard sampled in its loop itself (no callee on the stack) is between turns: in its idle strategy, which the
        // JIT inlines (spin, then park), or preempted there.
        if (stack.CodeAddress.FullMethodName == ShardLoop)
        {
            return true;
        }
        int depth = 0;
        for (TraceCallStack? f = stack; f is not null && depth < 6; f = f.Caller, depth++)
        {
            string n = f.CodeAddress.FullMethodName ?? "";
            foreach (string m in WaitMarkers)
            {
                if (n.Contains(m, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>The first FastMQ method on a waiting stack other than the interop wrappers, else the thread's entry.</summary>
    private static string WaitSite(TraceCallStack stack)
    {
        if (stack.CodeAddress.FullMethodName == ShardLoop)
        {
            return ShardLoop + " between turns (inlined idle strategy)";
        }
        string last = "";
        for (TraceCallStack? f = stack; f is not null; f = f.Caller)
        {
            string n = f.CodeAddress.FullMethodName ?? "";
            if (n.StartsWith("FastMQ.", StringComparison.Ordinal) && !n.StartsWith("FastMQ.Interop.", StringComparison.Ordinal))
            {
                return n;
            }
            if (n.Length > 0)
            {
                last = n;
            }
        }
        return last.Length > 0 ? last : "[native]";
    }

    private static string Name(TraceCodeAddress a)
    {
        string m = a.FullMethodName;
        return string.IsNullOrEmpty(m) ? $"[{(string.IsNullOrEmpty(a.ModuleName) ? "native" : a.ModuleName)}]" : m;
    }

    private static List<Frame> Rank(Dictionary<string, long> counts, long total, int top)
    {
        var list = new List<Frame>(counts.Count);
        foreach ((string name, long n) in counts)
        {
            list.Add(new Frame(name, n, total > 0 ? Math.Round(100.0 * n / total, 1) : 0));
        }
        list.Sort((a, b) => b.Samples.CompareTo(a.Samples));
        return list.GetRange(0, Math.Min(top, list.Count));
    }
}
