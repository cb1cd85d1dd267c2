namespace FastMQ.Storage;

/// <summary>A user of a <see cref="LogIoContext"/>: queues its I/O when pumped and consumes its completions.</summary>
internal interface ILogIoTarget
{
    /// <summary>Queues the operations this target needs now; returns true if it must be pumped again later (e.g. a group-commit timer).</summary>
    bool PumpIo(long nowNs);

    /// <summary>One reaped completion of an operation queued with <paramref name="tag"/>.</summary>
    void OnIoCompletion(uint tag, int result, long nowNs);
}
