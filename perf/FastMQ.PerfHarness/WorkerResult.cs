using System.Collections.Generic;
using HdrHistogram;
using HdrHistogram.Iteration;

namespace FastMQ.PerfHarness;

/// <summary>
/// What one worker process of a <c>--processes N</c> run hands back to its parent (a JSON file): counts, the
/// per-second series from the common start time, and the latency histograms as (value µs, count) pairs so the
/// parent can merge them exactly.
/// </summary>
internal sealed class WorkerResult
{
    public long Messages { get; set; }
    public long Bytes { get; set; }
    public long Sent { get; set; }
    public long Scheduled { get; set; }
    public long Errors { get; set; }
    /// <summary>CPU seconds the worker process used in all (user + system).</summary>
    public double CpuS { get; set; }
    public string FirstError { get; set; } = "";
    public List<double> PerSecond { get; set; } = [];
    public List<double> BytesPerSecond { get; set; } = [];
    public List<long[]> Intended { get; set; } = [];
    public List<long[]> SentLatency { get; set; } = [];
    public List<long[]> PacingLag { get; set; } = [];

    public static List<long[]> Pairs(HistogramBase h)
    {
        var pairs = new List<long[]>();
        foreach (HistogramIterationValue v in h.RecordedValues())
        {
            pairs.Add([v.ValueIteratedTo, v.CountAtValueIteratedTo]);
        }
        return pairs;
    }

    public static void AddPairs(HistogramBase into, List<long[]> pairs)
    {
        foreach (long[] p in pairs)
        {
            into.RecordValueWithCount(p[0], p[1]);
        }
    }
}
