namespace FastMQ.Benchmarks.Storage;

/// <summary>What a <see cref="CountingDevice"/> saw since its counters were last reset.</summary>
/// <param name="Writes">Writes queued.</param>
/// <param name="WriteBytes">Bytes those writes cover (whole 4 KiB blocks).</param>
/// <param name="Syncs">fdatasync/fsync operations queued.</param>
/// <param name="Submits">Submit calls that handed at least one operation to the kernel.</param>
/// <param name="MaxInFlight">Most operations queued or in flight at once.</param>
public readonly record struct DeviceCounters(long Writes, long WriteBytes, long Syncs, long Submits, int MaxInFlight)
{
    public double AverageWriteBytes => Writes == 0 ? 0 : WriteBytes / (double)Writes;
}
