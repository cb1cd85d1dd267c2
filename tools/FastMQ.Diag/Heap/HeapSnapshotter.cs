using System;
using System.IO;
using System.Threading;
using FastMQ.Diag.Attach;
using Microsoft.Diagnostics.NETCore.Client;

namespace FastMQ.Diag.Heap;

/// <summary>
/// Takes a gcdump-style heap snapshot over EventPipe: enabling the heap-snapshot keywords makes the target run a
/// blocking gen2 GC that reports every live object and its type; this class sums them by type instead of building
/// the object graph (so no retention paths, but memory use stays proportional to the number of types).
/// Stops the session once that GC has ended and its heap statistics arrived.
/// </summary>
public static class HeapSnapshotter
{
    /// <summary>Runs the snapshot; throws <see cref="DiagTargetException"/> if the GC does not finish within <paramref name="timeout"/>.</summary>
    public static HeapReport Take(int processId, int topTypes, TimeSpan timeout)
    {
        DiagnosticsClient client = TargetProcess.Connect(processId);
        EventPipeSession session;
        try
        {
            session = client.StartEventPipeSession(DiagProviders.HeapSnapshot(), requestRundown: false, circularBufferMB: 256);
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or UnsupportedCommandException)
        {
            throw new DiagTargetException($"cannot start a diagnostics session in process {processId}: {e.Message}", e);
        }
        var collector = new HeapEventCollector();
        using (session)
        {
            var reader = new Thread(() => collector.Read(session.EventStream)) { IsBackground = true, Name = "fastmq-diag gc-heap" };
            reader.Start();
            bool complete = collector.WaitComplete(timeout);
            try
            {
                session.Stop();
            }
            catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException or EndOfStreamException)
            {
                // The target exited; the check below reports it.
            }
            _ = reader.Join(TimeSpan.FromSeconds(10));
            if (!complete)
            {
                throw new DiagTargetException(
                    $"process {processId} did not complete the heap-walk GC within {timeout.TotalSeconds:F0} s");
            }
        }
        return collector.Report(processId, topTypes);
    }
}
