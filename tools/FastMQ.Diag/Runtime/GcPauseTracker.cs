using System;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace FastMQ.Diag.Runtime;

/// <summary>
/// Counts GCs per generation and measures their pauses from runtime events: a pause runs from SuspendEE start to
/// RestartEE end and belongs to the generation of the GC that ran inside it (a background gen2 GC's short
/// suspensions belong to gen2). Suspensions that are not for a GC (debugger, code patching) are not pauses.
/// Single-threaded: fed by the one thread that reads the event stream; callers copy it under their own lock.
/// </summary>
internal sealed class GcPauseTracker
{
    private readonly long[] _counts = new long[3];
    private readonly double[] _pauseTotalMs = new double[3];
    private readonly double[] _pauseMaxMs = new double[3];
    private double _suspendStartMs = -1;
    private int _depthInPause = -1;
    private int _lastDepth = -1;

    public void OnGcStart(GCStartTraceData data)
    {
        int depth = Math.Clamp(data.Depth, 0, 2);
        _counts[depth]++;
        _lastDepth = depth;
        if (_suspendStartMs >= 0)
        {
            _depthInPause = depth;
        }
    }

    public void OnSuspendStart(GCSuspendEETraceData data)
    {
        if (data.Reason is GCSuspendEEReason.SuspendForGC or GCSuspendEEReason.SuspendForGCPrep)
        {
            _suspendStartMs = data.TimeStampRelativeMSec;
            _depthInPause = -1;
        }
    }

    public void OnRestartEnd(double timeStampMs)
    {
        if (_suspendStartMs < 0)
        {
            return;
        }
        // A suspension with no GCStart inside it is the foreground part of a background GC already running.
        int depth = _depthInPause >= 0 ? _depthInPause : _lastDepth;
        if (depth >= 0)
        {
            double pauseMs = timeStampMs - _suspendStartMs;
            _pauseTotalMs[depth] += pauseMs;
            _pauseMaxMs[depth] = Math.Max(_pauseMaxMs[depth], pauseMs);
        }
        _suspendStartMs = -1;
        _depthInPause = -1;
    }

    /// <summary>Forgets the longest pauses so far, so the next maximum covers only what follows.</summary>
    public void ResetMaximum() => Array.Clear(_pauseMaxMs);

    public GcTotals Totals() => new(Stats(0), Stats(1), Stats(2));

    private GcGenerationStats Stats(int depth) => new(_counts[depth], _pauseTotalMs[depth], _pauseMaxMs[depth]);
}
