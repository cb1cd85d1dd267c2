using System.Diagnostics;
using FastMQ.PerfHarness;
using HdrHistogram;
using HdrHistogram.Iteration;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Harness;

public sealed class E2eDriverTests
{
    [Fact]
    public void EveryScheduledMessageIsRecordedOnceAndOnlyAfterTheWarmup()
    {
        // Goal: the driver sends the whole schedule in order and records each post-warm-up message exactly once.
        // Method: 1,000 msg/s for 0.5 s warm-up + 1 s through an instant in-process loopback; compare with the schedule.
        HarnessOptions o = HarnessOptions.Parse(["e2e", "--rate", "1000", "--warmup", "0.5", "--duration", "1", "--size", "64"]);
        var peer = new LoopbackE2ePeer(64);
        var latency = new LatencyRecorder();
        var driver = new E2eDriver(o, peer, latency);
        ScenarioOutcome outcome = driver.Run(new MeasurementWindow(null, MachineFacts.Read()));

        Assert.Equal(1500, driver.Total);
        Assert.Equal(1500, peer.SentIntended.Count);
        long t0 = peer.SentIntended[0];
        var schedule = new FixedRateSchedule(t0, 1000, 1000);
        long recordFrom = t0 + Stopwatch.Frequency / 2;
        long measured = 0;
        for (int k = 0; k < 1500; k++)
        {
            Assert.Equal(schedule.IntendedTicks(k), peer.SentIntended[k]);
            Assert.Equal(1, peer.Arrivals[k]);
            measured += peer.SentIntended[k] >= recordFrom ? 1 : 0;
        }
        Assert.Equal(1500, peer.Arrivals.Count);
        Assert.Equal(1000, measured);
        Assert.Equal(measured, outcome.Messages);
        Assert.Equal(measured, latency.Intended.TotalCount);
        Assert.Equal(measured, latency.Sent.TotalCount);
        Assert.Equal(measured, latency.PacingLag.TotalCount);
        Assert.Equal(measured * 64, outcome.Bytes);
        Assert.Equal(1500, driver.ReceivedCount);
        Assert.Equal(0, outcome.Missing);
        Assert.Equal(0, outcome.Errors);
        Assert.Equal(1000, outcome.TargetRatePerS);
        // The window spans the measured second (from its first message to the last arrival), not the warm-up.
        Assert.InRange(outcome.ElapsedS, 0.99, 1.5);
    }

    [Fact]
    public void ASendStallShowsInTheCorrectedLatencyButNotInTheFromSendOne()
    {
        // Goal: coordinated omission is corrected: a 50 ms stall in the sender counts against every message due during it,
        // while the from-send latency (restamped when the send is finally accepted) stays small. Method: the loopback refuses
        // message 700 (in the measured part) for 50 ms at 1,000 msg/s; count the latencies of 25 ms or more.
        HarnessOptions o = HarnessOptions.Parse(["e2e", "--rate", "1000", "--warmup", "0.5", "--duration", "0.5", "--size", "64"]);
        var peer = new LoopbackE2ePeer(64, refuseSeq: 700, refuseFor: System.TimeSpan.FromMilliseconds(50));
        var latency = new LatencyRecorder();
        ScenarioOutcome outcome = new E2eDriver(o, peer, latency).Run(new MeasurementWindow(null, MachineFacts.Read()));

        Assert.True(peer.Refusals > 0);
        Assert.Equal(500, outcome.Messages);
        Assert.Equal(0, outcome.Missing);
        Assert.True(latency.Intended.GetMaxValue() >= 50_000, $"corrected max {latency.Intended.GetMaxValue()} µs");
        Assert.True(latency.PacingLag.GetMaxValue() >= 50_000, $"pacing lag max {latency.PacingLag.GetMaxValue()} µs");
        long intendedSlow = CountAtLeast(latency.Intended, 25_000);
        long sentSlow = CountAtLeast(latency.Sent, 25_000);
        // Messages due in the stall's first 25 ms (about 25) waited at least 25 ms past their intended time.
        Assert.True(intendedSlow >= 20, $"{intendedSlow} corrected latencies of 25 ms or more");
        Assert.True(sentSlow * 4 < intendedSlow, $"{sentSlow} from-send latencies of 25 ms or more (corrected: {intendedSlow})");
    }

    private static long CountAtLeast(LongHistogram h, long us)
    {
        long n = 0;
        foreach (HistogramIterationValue v in h.RecordedValues())
        {
            if (v.ValueIteratedTo >= us)
            {
                n += v.CountAtValueIteratedTo;
            }
        }
        return n;
    }
}
