using System;

namespace FastMQ.Client;

/// <summary>A partition of a topic, as assigned to a consumer or named in a commit.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partition">The partition index (0-based).</param>
public readonly record struct TopicPartition(string Topic, int Partition) : IComparable<TopicPartition>
{
    /// <summary>Orders by topic (ordinal, as Kafka's Java client sorts names) and then by partition.</summary>
    public int CompareTo(TopicPartition other)
    {
        int c = string.CompareOrdinal(Topic, other.Topic);
        return c != 0 ? c : Partition.CompareTo(other.Partition);
    }

    /// <summary>True when <paramref name="left"/> sorts before <paramref name="right"/>.</summary>
    public static bool operator <(TopicPartition left, TopicPartition right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> sorts after <paramref name="right"/>.</summary>
    public static bool operator >(TopicPartition left, TopicPartition right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> sorts before or equal to <paramref name="right"/>.</summary>
    public static bool operator <=(TopicPartition left, TopicPartition right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> sorts after or equal to <paramref name="right"/>.</summary>
    public static bool operator >=(TopicPartition left, TopicPartition right) => left.CompareTo(right) >= 0;

    /// <summary><c>topic[partition]</c>, the notation Kafka tools print.</summary>
    public override string ToString() => $"{Topic}[{Partition}]";
}
