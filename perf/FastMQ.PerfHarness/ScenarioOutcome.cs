using System.Collections.Generic;

namespace FastMQ.PerfHarness;

/// <summary>What a scenario measured in its window.</summary>
internal sealed class ScenarioOutcome
{
    /// <summary>
    /// A consume scenario's result: what <paramref name="meter"/> counted in the window; reading fewer than
    /// <paramref name="target"/> messages is the error, described by <paramref name="shortfall"/>(read, target).
    /// </summary>
    public static ScenarioOutcome Consumed(ThroughputMeter meter, double elapsedS, long target, long preloaded, System.Func<long, long, string> shortfall)
    {
        bool missing = meter.Messages < target;
        return new ScenarioOutcome
        {
            Messages = meter.Messages,
            Bytes = meter.Bytes,
            ElapsedS = elapsedS,
            PerSecond = meter.Series,
            BytesPerSecond = meter.BytesSeries,
            PreloadedMessages = preloaded,
            Errors = missing ? target - meter.Messages : 0,
            FirstError = missing ? shortfall(meter.Messages, target) : "",
        };
    }

    public long Messages { get; set; }
    public long Bytes { get; set; }
    public long Errors { get; set; }
    public string FirstError { get; set; } = "";
    public double ElapsedS { get; set; }
    public double MsgsPerS => ElapsedS > 0 ? Messages / ElapsedS : 0;
    public double MiBPerS => ElapsedS > 0 ? Bytes / 1048576.0 / ElapsedS : 0;
    public IReadOnlyList<double> PerSecond { get; set; } = [];
    /// <summary>Bytes of values per second, same seconds as <see cref="PerSecond"/>.</summary>
    public IReadOnlyList<double> BytesPerSecond { get; set; } = [];
    /// <summary>produce/sustain: messages handed to the client (sustain: until the deadline).</summary>
    public long Sent { get; set; }
    /// <summary>sustain: messages the schedule called for.</summary>
    public long Scheduled { get; set; }
    /// <summary>sustain: whether the target held, per second.</summary>
    public SustainVerdict? Sustain { get; set; }
    /// <summary>sustain: send → delivery report, from the intended send time (CO-corrected).</summary>
    public LatencySummary? ProduceFromIntended { get; set; }
    /// <summary>produce/sustain: send call → delivery report.</summary>
    public LatencySummary? ProduceFromSent { get; set; }
    /// <summary>Messages written before the window (consume scenario) so there is something to read.</summary>
    public long PreloadedMessages { get; set; }
    /// <summary>e2e: messages the producer had delivered that the consumer never saw before the deadline.</summary>
    public long Missing { get; set; }
    public double TargetRatePerS { get; set; }
    public LatencySummary? E2eFromIntended { get; set; }
    public LatencySummary? E2eFromSent { get; set; }
    public LatencySummary? PacingLag { get; set; }
    /// <summary>rebalance: one sample per repetition, sorted (ms from the new member's Subscribe to all assigned).</summary>
    public IReadOnlyList<double> RebalanceMs { get; set; } = [];
    /// <summary>group-consume: ms from the first Subscribe to the first message.</summary>
    public double GroupJoinMs { get; set; }
    /// <summary>group-consume: messages per second from the first message to the last.</summary>
    public double GroupReadMsgsPerS { get; set; }
}
