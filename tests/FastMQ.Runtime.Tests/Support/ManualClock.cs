using FastMQ.Core;

namespace FastMQ.Runtime.Tests.Support;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock : IClock
{
    public long MonotonicNs { get; set; }

    public long UnixTimeMs => MonotonicNs / 1_000_000;

    public void AdvanceMs(long ms) => MonotonicNs += ms * 1_000_000;
}
