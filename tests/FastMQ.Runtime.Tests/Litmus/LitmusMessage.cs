namespace FastMQ.Runtime.Tests.Litmus;

/// <summary>What the litmus producers send: who sent it and its per-producer sequence number.</summary>
public readonly record struct LitmusMessage(int Producer, long Sequence);
