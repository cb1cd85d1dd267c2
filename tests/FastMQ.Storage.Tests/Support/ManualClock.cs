using FastMQ.Core;

namespace FastMQ.Storage.Tests.Support;

/// <summary>A clock tests move by hand: group-commit intervals, retries, roll by age and retention by time.</summary>
internal sealed class ManualClock(long unixTimeMs) : IClock
{
    public long MonotonicNs { get; set; } = 1_000_000_000;

    public long UnixTimeMs { get; set; } = unixTimeMs;

    public void AdvanceMs(long ms)
    {
        MonotonicNs += ms * 1_000_000;
        UnixTimeMs += ms;
    }
}
