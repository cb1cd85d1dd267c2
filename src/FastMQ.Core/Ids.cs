using System;

namespace FastMQ.Core;

/// <summary>A record offset within one partition log (Kafka's int64 offset).</summary>
public readonly record struct Offset(long Value) : IComparable<Offset>
{
    public static readonly Offset Invalid = new(-1);
    public int CompareTo(Offset other) => Value.CompareTo(other.Value);
    public static bool operator <(Offset a, Offset b) => a.Value < b.Value;
    public static bool operator >(Offset a, Offset b) => a.Value > b.Value;
    public static bool operator <=(Offset a, Offset b) => a.Value <= b.Value;
    public static bool operator >=(Offset a, Offset b) => a.Value >= b.Value;
    public static Offset operator +(Offset a, long delta) => new(a.Value + delta);
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A partition leader epoch (Kafka's int32 partitionLeaderEpoch).</summary>
public readonly record struct Epoch(int Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A partition index within a topic.</summary>
public readonly record struct PartitionId(int Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A shard (one pinned thread per core) within a broker.</summary>
public readonly record struct ShardId(int Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A broker node id as advertised in Kafka metadata.</summary>
public readonly record struct NodeId(int Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
