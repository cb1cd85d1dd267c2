namespace FastMQ.Storage;

/// <summary>A user of a <see cref="LogIoContext"/>: queues its I/O when pumped and consumes its completions.</summary>
internal interface ILogIoTarget
{
    /// <summary>
    /// Queues the operations this target needs now; returns true if it must be pumped again later. When what it waits
    /// for is a time rather than a completion (a group-commit interval, a retry after a full disk), it lowers
    /// <paramref name="nextDueNs"/> to that time, so an idle shard wakes for it.
    /// </summary>
    bool PumpIo(long nowNs, ref long nextDueNs);

    /// <summary>One reaped completion of an operation queued with <paramref name="tag"/>.</summary>
    void OnIoCompletion(uint tag, int result, long nowNs);
}
