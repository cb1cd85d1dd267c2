using System;
using FastMQ.PerfHarness;
using Xunit;

namespace FastMQ.Benchmarks.Tests.Harness;

public sealed class HarnessOptionsTests
{
    [Fact]
    public void SustainOptionsParse()
    {
        // Goal: the documented 500 MB/s command parses to what it says. Method: parse it and check the fields.
        HarnessOptions o = HarnessOptions.Parse(["sustain", "--target-mbps", "500", "--size", "1024", "--partitions", "12", "--acks", "1",
            "--producers", "4", "--processes", "2", "--keys", "0", "--flush-policy", "group", "--duration", "60", "--warmup", "5", "--diag", "--trace-s", "10"]);
        Assert.Equal(500, o.TargetMBps);
        Assert.Equal(1024, o.SizeBytes);
        Assert.Equal(12, o.Partitions);
        Assert.Equal(2, o.Processes);
        Assert.Equal("group", o.FlushPolicy);
        Assert.True(o.Diag);
        Assert.Equal(10, o.TraceS);
        Assert.Equal(5, o.EffectiveLingerMs);
    }

    [Theory]
    [InlineData("--client", "kafka")]
    [InlineData("--flush-policy", "sometimes")]
    [InlineData("--keys", "-1")]
    [InlineData("--size", "uniform:1-2")]
    [InlineData("--target-mbps", "0")]
    public void BadValuesNameTheOption(string option, string value)
    {
        // Goal: bad values fail before anything runs, naming the option. Method: parse each.
        ArgumentException e = Assert.Throws<ArgumentException>(() => HarnessOptions.Parse(["sustain", option, value]));
        Assert.Contains(option, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessesNeedAsManyProducersAndAProduceScenario()
    {
        // Goal: a worker with no producer, or --processes on a consume run, is refused. Method: two bad combinations.
        Assert.Throws<ArgumentException>(() => HarnessOptions.Parse(["sustain", "--processes", "3", "--producers", "2"]));
        Assert.Throws<ArgumentException>(() => HarnessOptions.Parse(["consume", "--processes", "2", "--producers", "2"]));
    }

    [Fact]
    public void NatsScenariosNeedAServer()
    {
        // Goal: nats-* without --nats fails with a clear message. Method: parse nats-produce alone.
        ArgumentException e = Assert.Throws<ArgumentException>(() => HarnessOptions.Parse(["nats-produce"]));
        Assert.Contains("--nats", e.Message, StringComparison.Ordinal);
    }
}
