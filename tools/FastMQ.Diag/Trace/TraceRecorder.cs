using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using FastMQ.Diag.Attach;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.EventPipe;

namespace FastMQ.Diag.Trace;

/// <summary>
/// Records a CPU sampling trace of a running process into a .nettrace file (the EventPipe format that PerfView,
/// Visual Studio, <c>dotnet-trace convert</c> and TraceEvent read), and reads such a file back to count its samples.
/// </summary>
public static class TraceRecorder
{
    /// <summary>
    /// Samples <paramref name="processId"/> for <paramref name="duration"/> (cut short by cancellation) and writes
    /// <paramref name="path"/>. The session asks for rundown so method names resolve offline. Throws
    /// <see cref="DiagTargetException"/> when the target cannot be attached.
    /// </summary>
    public static void Record(int processId, TimeSpan duration, string path, CancellationToken cancellationToken)
    {
        DiagnosticsClient client = TargetProcess.Connect(processId);
        EventPipeSession session;
        try
        {
            session = client.StartEventPipeSession(DiagProviders.CpuSampling(), requestRundown: true, circularBufferMB: 256);
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or UnsupportedCommandException)
        {
            throw new DiagTargetException($"cannot start a diagnostics session in process {processId}: {e.Message}", e);
        }
        using (session)
        {
            using FileStream file = File.Create(path);
            // The copy ends when the session stops (after rundown) or the target exits.
            var copy = new Thread(() => CopyStream(session.EventStream, file)) { IsBackground = true, Name = "fastmq-diag trace" };
            copy.Start();
            _ = cancellationToken.WaitHandle.WaitOne(duration);
            try
            {
                session.Stop();
            }
            catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException or EndOfStreamException)
            {
                // The target exited: the trace holds what was sent until then.
            }
            // Rundown of a large process takes a few seconds.
            if (!copy.Join(TimeSpan.FromSeconds(60)))
            {
                throw new DiagTargetException($"process {processId} did not finish the trace rundown within 60 s");
            }
        }
    }

    /// <summary>Opens a .nettrace with TraceEvent and counts its CPU samples and events.</summary>
    public static TraceFileSummary Summarize(string path)
    {
        long samples = 0;
        long events = 0;
        var threads = new HashSet<int>();
        using (var source = new EventPipeEventSource(path))
        {
            // The parser gives the sample events their names; without it they arrive as anonymous provider GUIDs.
            var profiler = new SampleProfilerTraceEventParser(source);
            profiler.ThreadSample += data =>
            {
                samples++;
                _ = threads.Add(data.ThreadID);
            };
            source.AllEvents += _ => events++;
            _ = source.Process();
        }
        return new TraceFileSummary(Path.GetFullPath(path), new FileInfo(path).Length, samples, threads.Count, events);
    }

    private static void CopyStream(Stream from, Stream to)
    {
        try
        {
            from.CopyTo(to);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The target exited mid-copy: keep what arrived.
        }
    }
}
