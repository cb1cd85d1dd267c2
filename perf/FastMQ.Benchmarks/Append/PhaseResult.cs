namespace FastMQ.Benchmarks.Append;

/// <summary>One measured phase of the append runner.</summary>
/// <param name="Name">"raw pwrite", "raw io_uring" or "log".</param>
/// <param name="Device">The I/O mechanism.</param>
/// <param name="Bytes">Payload bytes written (for the log: bytes of batches appended, without block padding).</param>
/// <param name="Records">Records written (for the raw phases: the records those bytes would hold).</param>
/// <param name="Seconds">Wall time from the first write to the last completion (log: until all may be acknowledged).</param>
/// <param name="AllocatedBytes">Bytes the measuring thread allocated during the phase.</param>
/// <param name="UserCpuSeconds">Process user CPU time during the phase.</param>
/// <param name="SystemCpuSeconds">Process kernel CPU time during the phase.</param>
public sealed record PhaseResult(string Name, string Device, long Bytes, long Records, double Seconds, long AllocatedBytes,
    double UserCpuSeconds, double SystemCpuSeconds)
{
    public double MegabytesPerSecond => Bytes / Seconds / 1e6;

    public double RecordsPerSecond => Records / Seconds;
}
