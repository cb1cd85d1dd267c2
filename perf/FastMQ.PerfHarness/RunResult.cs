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
    /// <summary>The value size (the mean, rounded, when <see cref="MessageSize"/> is a distribution).</summary>
    public int MessageBytes { get; init; }
    /// <summary>The value size as given: fixed, uniform or normal.</summary>
    public string MessageSize { get; init; } = "";
    /// <summary>Distinct keys; 0 = null keys (round-robin over partitions).</summary>
    public int Keys { get; init; }
    /// <summary>The client library: confluent or fastmq.</summary>
    public string Client { get; init; } = "";
    public string Compression { get; init; } = "";
    public int LingerMs { get; init; }
    public int BatchSizeBytes { get; init; }
    public int Producers { get; init; }
    public int Consumers { get; init; }
    public ScenarioOutcome Outcome { get; init; } = null!;
    public double BrokerCpuPercent { get; init; }
    public double HarnessCpuPercent { get; init; }
    public IReadOnlyList<ThreadCpu> BrokerThreads { get; init; } = [];
    /// <summary>--diag: the broker's allocations and GC over the measured window (null when not asked or not available).</summary>
    public DiagSummary? Diag { get; init; }
    /// <summary>--trace-s: the broker's CPU trace file and its top frames.</summary>
    public TraceTopFrames.Report? Trace { get; init; }
}
