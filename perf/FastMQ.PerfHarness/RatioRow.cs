namespace FastMQ.PerfHarness;

/// <summary>One figure of the peer comparison: FastMQ's value and each peer's (null = not measured).</summary>
/// <param name="Figure">What was measured, e.g. "produce 1 KiB (msg/s)".</param>
/// <param name="FastMQ">FastMQ's median.</param>
/// <param name="Redis">Redis Streams' median.</param>
/// <param name="Nats">NATS JetStream's median.</param>
/// <param name="HigherIsBetter">True for throughput, false for latency.</param>
internal sealed record RatioRow(string Figure, double? FastMQ, double? Redis, double? Nats, bool HigherIsBetter);
