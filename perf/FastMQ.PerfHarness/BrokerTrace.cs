using System;
using System.IO;
using System.Threading;
using FastMQ.Diag.Attach;
using FastMQ.Diag.Trace;

namespace FastMQ.PerfHarness;

/// <summary>
/// <c>--trace-s</c>: after a delay (the warm-up), records a CPU sampling trace of the broker with fastmq-diag's
/// <see cref="TraceRecorder"/> on a background thread, then ranks its frames (<see cref="TraceTopFrames"/>).
/// </summary>
internal sealed class BrokerTrace : IDisposable
{
    private readonly Thread _thread;
    private readonly CancellationTokenSource _cancel = new();
    private readonly string _path;
    private string _failure = "";

    private BrokerTrace(int pid, double delayS, int seconds, string path)
    {
        _path = path;
        _thread = new Thread(() =>
        {
            try
            {
                if (_cancel.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(delayS)))
                {
                    _failure = "the run ended before the trace started";
                    return;
                }
                Console.WriteLine($"tracing broker pid {pid} for {seconds} s into {path}");
                TraceRecorder.Record(pid, TimeSpan.FromSeconds(seconds), path, _cancel.Token);
            }
            catch (Exception e) when (e is DiagTargetException or IOException)
            {
                _failure = e.Message;
            }
        })
        { IsBackground = true, Name = "perf-broker-trace" };
        _thread.Start();
    }

    public static BrokerTrace Start(int pid, double delayS, int seconds, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new BrokerTrace(pid, delayS, seconds, path);
    }

    /// <summary>Waits for the recording (cut short if the run ended first) and analyses it; null when there is no trace.</summary>
    public TraceTopFrames.Report? Finish()
    {
        _thread.Join();
        if (_failure.Length > 0 || !File.Exists(_path))
        {
            Console.WriteLine($"broker trace: none ({(_failure.Length > 0 ? _failure : "no file")})");
            return null;
        }
        TraceTopFrames.Report r = TraceTopFrames.Analyze(_path, 25);
        Print(r);
        return r;
    }

    /// <summary>Prints a trace ranking (also <c>fastmq-perf trace-top FILE</c>).</summary>
    public static void Print(TraceTopFrames.Report r)
    {
        Console.WriteLine($"broker trace: {r.Path}");
        Console.WriteLine("  top exclusive frames (% of non-waiting samples):");
        foreach (TraceTopFrames.Frame f in r.Exclusive)
        {
            Console.WriteLine($"    {f.Percent,5:F1} %  {f.Name}");
        }
        Console.WriteLine($"  waiting samples ({r.WaitingSamples:N0}) by where they wait:");
        foreach (TraceTopFrames.Frame f in r.WaitSites)
        {
            Console.WriteLine($"    {f.Percent,5:F1} %  {f.Name}");
        }
        Console.WriteLine("  top inclusive frames:");
        foreach (TraceTopFrames.Frame f in r.Inclusive)
        {
            Console.WriteLine($"    {f.Percent,5:F1} %  {f.Name}");
        }
    }

    public void Dispose()
    {
        _cancel.Cancel();
        _thread.Join();
        _cancel.Dispose();
    }
}
