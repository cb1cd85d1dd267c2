using System;

namespace FastMQ.Core;

/// <summary>
/// Time source, injected so tests and the simulator can drive time.
/// <see cref="MonotonicNs"/> is for durations and timeouts; <see cref="UnixTimeMs"/> for record timestamps and retention.
/// </summary>
public interface IClock
{
    long MonotonicNs { get; }
    long UnixTimeMs { get; }
}

/// <summary>The real clock: <see cref="System.Diagnostics.Stopwatch"/> and the system wall clock.</summary>
public sealed class SystemClock : IClock
{
    public static readonly SystemClock Instance = new();
    private static readonly double NsPerTick = 1_000_000_000.0 / System.Diagnostics.Stopwatch.Frequency;

    public long MonotonicNs => (long)(System.Diagnostics.Stopwatch.GetTimestamp() * NsPerTick);
    public long UnixTimeMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
