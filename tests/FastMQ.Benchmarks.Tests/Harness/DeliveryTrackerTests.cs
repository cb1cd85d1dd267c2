using System.Diagnostics;
using FastMQ.PerfHarness;
using HdrHistogram;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Harness;

public sealed class DeliveryTrackerTests
{
    [Fact]
    public void ReportsAreMatchedToSendsInOrderPerPartition()
    {
        // Goal: each report takes its own partition's oldest send, so bytes and latencies belong to the right message.
        // Method: interleave sends on two partitions with distinct sizes and send times, report them partition by partition.
        using var meter = new ThroughputMeter("test");
        var latency = new LatencyRecorder();
        var tracker = new DeliveryTracker(2, meter, latency);
        long now = Stopwatch.GetTimestamp();
        long second = Stopwatch.Frequency;
        tracker.Sending(0, now - 3 * second, now - 3 * second, 100);
        tracker.Sending(1, now - 1 * second, now - 1 * second, 2000);
        tracker.Sending(0, now - 2 * second, now - 2 * second, 300);
        tracker.OnDelivered(1, null);
        tracker.OnDelivered(0, null);
        tracker.OnDelivered(0, null);
        Assert.Equal(3, meter.Messages);
        Assert.Equal(2400, meter.Bytes);
        Assert.Equal(3, latency.Sent.TotalCount);
        // The oldest send (3 s ago) is the maximum latency: it was matched to a partition-0 report, not to partition 1's.
        Assert.InRange(latency.Sent.GetMaxValue(), 3_000_000, 3_500_000);
        Assert.InRange(latency.Sent.GetValueAtPercentile(0), 1_000_000, 1_500_000);
        Assert.Equal(0, tracker.Unmatched);
    }

    [Fact]
    public void ErrorsAndUnmatchedReportsAreCountedNotMeasured()
    {
        // Goal: failed deliveries never count as throughput; a report without a send is flagged. Method: one failed, one extra.
        using var meter = new ThroughputMeter("test");
        var tracker = new DeliveryTracker(1, meter, new LatencyRecorder());
        tracker.Sending(0, 1, 1, 10);
        tracker.OnDelivered(0, "Local: Message timed out");
        tracker.OnDelivered(0, null);
        Assert.Equal(0, meter.Messages);
        Assert.Equal(1, tracker.Errors);
        Assert.Equal("Local: Message timed out", tracker.FirstError);
        Assert.Equal(1, tracker.Unmatched);
    }

    [Fact]
    public void WarmupMessagesAreCountedButNotRecorded()
    {
        // Goal: the latency histograms hold only post-warm-up messages. Method: RecordFromTicks between two sends.
        using var meter = new ThroughputMeter("test");
        var latency = new LatencyRecorder();
        var tracker = new DeliveryTracker(1, meter, latency) { RecordFromTicks = 1000 };
        tracker.Sending(0, 999, 999, 10);
        tracker.Sending(0, 1000, 1000, 10);
        tracker.OnDelivered(0, null);
        tracker.OnDelivered(0, null);
        Assert.Equal(2, meter.Messages);
        Assert.Equal(1, latency.Intended.TotalCount);
    }
}
