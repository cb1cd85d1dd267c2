using FastMQ.PerfHarness;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Harness;

public sealed class SustainVerdictTests
{
    [Fact]
    public void HeldWhenEveryMeasuredSecondReaches95PercentOfTheTarget()
    {
        // Goal: the verdict skips the warm-up and holds at >= 95 %. Method: slow warm-up seconds, then 96-101 % seconds.
        double[] bytes = [1e6, 2e6, 480e6, 500e6, 505e6, 490e6];
        SustainVerdict v = SustainVerdict.Compute(bytes, 500, warmupS: 2, durationS: 4);
        Assert.True(v.Held);
        Assert.Equal(4, v.MeasuredSeconds);
        Assert.Equal(0, v.SecondsBelowThreshold);
        Assert.Equal(480, v.MinMBps, 6);
        Assert.Equal(505, v.MaxMBps, 6);
        Assert.Equal((480 + 500 + 505 + 490) / 4.0, v.MeanMBps, 6);
    }

    [Fact]
    public void OneSecondBelow95PercentMeansNotHeld()
    {
        // Goal: a single dip under 95 % fails the run and is counted. Method: one second at 474 MB/s (94.8 %) of 500.
        double[] bytes = [500e6, 474e6, 500e6];
        SustainVerdict v = SustainVerdict.Compute(bytes, 500, warmupS: 0, durationS: 3);
        Assert.False(v.Held);
        Assert.Equal(1, v.SecondsBelowThreshold);
    }

    [Fact]
    public void SecondsTheRunNeverReachedCountAsMissed()
    {
        // Goal: a run that ended early cannot pass. Method: 10 s asked, only 3 measured seconds (all at target).
        double[] bytes = [0, 100e6, 100e6, 100e6];
        SustainVerdict v = SustainVerdict.Compute(bytes, 100, warmupS: 1, durationS: 10);
        Assert.False(v.Held);
        Assert.Equal(3, v.MeasuredSeconds);
        Assert.Equal(7, v.SecondsBelowThreshold);
    }

    [Fact]
    public void AFractionalWarmupSkipsTheWholeSecondItTouches()
    {
        // Goal: a partly warm-up second is not counted. Method: warm-up 1.5 s skips seconds 0 and 1.
        double[] bytes = [0, 0, 100e6, 100e6];
        SustainVerdict v = SustainVerdict.Compute(bytes, 100, warmupS: 1.5, durationS: 2);
        Assert.True(v.Held);
        Assert.Equal(2, v.MeasuredSeconds);
    }
}
