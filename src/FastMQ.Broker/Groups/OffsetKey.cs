namespace FastMQ.Broker.Groups;

/// <summary>A topic partition whose position a group commits.</summary>
internal readonly record struct OffsetKey(string Topic, int Partition);
