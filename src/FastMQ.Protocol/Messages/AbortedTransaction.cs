namespace FastMQ.Protocol.Messages;

/// <summary>An aborted transaction listed in a Fetch response partition (v4+), for read_committed consumers.</summary>
public readonly record struct AbortedTransaction(long ProducerId, long FirstOffset);
