namespace FastMQ.Diag.Trace;

/// <summary>What a recorded .nettrace holds: its size, CPU samples, the threads they came from, and all events.</summary>
public sealed record TraceFileSummary(string Path, long Bytes, long CpuSamples, int SampledThreads, long Events);
