using System;
using System.Collections.Generic;

namespace FastMQ.PerfHarness;

/// <summary>One fastmq-perf run as written to its JSON file: what ran, where, under which durability, and what it measured.</summary>
internal sealed class RunResult
{
    public string Tool { get; init; } = "fastmq-perf";
    public string Scenario { get; init; } = "";
    public string Label { get; init; } = "";
    public DateTime StartedUtc { get; init; }
    public string CommandLine { get; init; } = "";
    public MachineFacts Machine { get; init; } = null!;
    public string Bootstrap { get; init; } = "";
    public bool BrokerStartedByHarness { get; init; }
    public string ServerDll { get; init; } = "";
    public IReadOnlyList<string> BrokerArgs { get; init; } = [];
    public DurabilityFacts Durability { get; init; } = null!;
    public string Topic { get; init; } = "";
    public int Partitions { get; init; }
    public int MessageBytes { get; init; }
    public string Compression { get; init; } = "";
    public int LingerMs { get; init; }
    public int BatchSizeBytes { get; init; }
    public int Producers { get; init; }
    public int Consumers { get; init; }
    public ScenarioOutcome Outcome { get; init; } = null!;
    public double BrokerCpuPercent { get; init; }
    public double HarnessCpuPercent { get; init; }
    public IReadOnlyList<ThreadCpu> BrokerThreads { get; init; } = [];
}
