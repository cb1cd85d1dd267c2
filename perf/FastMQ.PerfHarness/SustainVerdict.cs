using System;
using System.Collections.Generic;

namespace FastMQ.PerfHarness;

/// <summary>
/// Whether a sustain run held its target: over the measured seconds (after the warm-up, whole seconds only), the
/// delivered bytes of each second against the target. Held = no second below <see cref="ThresholdFraction"/> of the
/// target. MB = 10^6 bytes of message values.
/// </summary>
internal sealed class SustainVerdict
{
    public const double ThresholdFraction = 0.95;

    public double TargetMBps { get; init; }
    public int MeasuredSeconds { get; init; }
    public int SecondsBelowThreshold { get; init; }
    public bool Held { get; init; }
    public double MeanMBps { get; init; }
    public double MinMBps { get; init; }
    public double MaxMBps { get; init; }
    /// <summary>Delivered MB of every measured second, in order.</summary>
    public IReadOnlyList<double> PerSecondMBps { get; init; } = [];

    /// <param name="bytesPerSecond">Delivered bytes of each whole second since the schedule started.</param>
    /// <param name="targetMBps">The target in 10^6 B per second.</param>
    /// <param name="warmupS">Seconds at the start that do not count (rounded up to whole seconds).</param>
    /// <param name="durationS">Seconds that count after the warm-up (rounded down to whole seconds).</param>
    public static SustainVerdict Compute(IReadOnlyList<double> bytesPerSecond, double targetMBps, double warmupS, double durationS)
    {
        ArgumentNullException.ThrowIfNull(bytesPerSecond);
        int first = (int)Math.Ceiling(warmupS);
        int count = Math.Max(0, Math.Min((int)Math.Floor(durationS), bytesPerSecond.Count - first));
        var mbps = new double[count];
        int below = 0;
        double sum = 0;
        double min = count > 0 ? double.MaxValue : 0;
        double max = 0;
        for (int i = 0; i < count; i++)
        {
            double v = bytesPerSecond[first + i] / 1e6;
            mbps[i] = v;
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            if (v < targetMBps * ThresholdFraction)
            {
                below++;
            }
        }
        // Seconds the run should have measured but did not (it ended early or the meter stopped) count as missed.
        int expected = (int)Math.Floor(durationS);
        below += Math.Max(0, expected - count);
        return new SustainVerdict
        {
            TargetMBps = targetMBps,
            MeasuredSeconds = count,
            SecondsBelowThreshold = below,
            Held = count > 0 && below == 0,
            MeanMBps = count > 0 ? sum / count : 0,
            MinMBps = min,
            MaxMBps = max,
            PerSecondMBps = mbps,
        };
    }

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{(Held ? "HELD" : "NOT held")}: target {TargetMBps:N1} MB/s, {SecondsBelowThreshold} of {Math.Max(MeasuredSeconds, SecondsBelowThreshold)} s below {ThresholdFraction:P0}; delivered mean {MeanMBps:N1}, min {MinMBps:N1}, max {MaxMBps:N1} MB/s");
}
