using System;
using System.Collections.Generic;

namespace FastMQ.Client.Assignors;

/// <summary>
/// A client-side partition assignor run by the group leader between JoinGroup and SyncGroup. Names and results match
/// Kafka's Java assignors and librdkafka's (<c>range</c>, <c>roundrobin</c>, <c>cooperative-sticky</c>), so a group
/// can mix FastMQ, Java and librdkafka members: whichever is leader, members agree on the assignment.
/// </summary>
/// <remarks>Stateless and thread-safe; the control path may allocate.</remarks>
internal abstract class PartitionAssignor
{
    /// <summary>The protocol name sent in JoinGroup.</summary>
    public abstract string Name { get; }

    /// <summary>Eager (revoke all) or cooperative (incremental) rebalancing.</summary>
    public abstract RebalanceProtocol Protocol { get; }

    /// <summary>
    /// Assigns every partition of the subscribed topics to one member. <paramref name="partitionsPerTopic"/> holds the
    /// partition count of each subscribed topic that exists (missing topics are skipped). The result has an entry
    /// (possibly empty) for every member, each list sorted.
    /// </summary>
    public abstract Dictionary<string, List<TopicPartition>> Assign(
        IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members);

    /// <summary>User data this assignor adds to the member's subscription (the generation, for cooperative-sticky).</summary>
    public virtual byte[]? SubscriptionUserData(int generationId) => null;

    /// <summary>The assignor for a Kafka strategy name; an <see cref="ArgumentException"/> naming it otherwise.</summary>
    public static PartitionAssignor ForName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim() switch
        {
            RangeAssignor.ProtocolName => new RangeAssignor(),
            RoundRobinAssignor.ProtocolName => new RoundRobinAssignor(),
            CooperativeStickyAssignor.ProtocolName => new CooperativeStickyAssignor(),
            _ => throw new ArgumentException(
                $"unknown partition.assignment.strategy '{name}' (expected range, roundrobin or cooperative-sticky)", nameof(name)),
        };
    }

    /// <summary>An empty, mutable result with one list per member.</summary>
    protected static Dictionary<string, List<TopicPartition>> EmptyResult(IReadOnlyList<AssignorMember> members)
    {
        var result = new Dictionary<string, List<TopicPartition>>(members.Count, StringComparer.Ordinal);
        foreach (AssignorMember m in members)
        {
            result[m.MemberId] = [];
        }
        return result;
    }

    /// <summary>The topics to assign, in ordinal order (every assignor walks topics in the same order as Kafka's).</summary>
    protected static List<string> SortedTopics(IReadOnlyDictionary<string, int> partitionsPerTopic)
    {
        var topics = new List<string>(partitionsPerTopic.Keys);
        topics.Sort(StringComparer.Ordinal);
        return topics;
    }

    /// <summary>Members sorted in Kafka's member order.</summary>
    protected static List<AssignorMember> Sorted(IEnumerable<AssignorMember> members)
    {
        var list = new List<AssignorMember>(members);
        list.Sort(MemberOrder.Instance);
        return list;
    }

    /// <summary>Sorts every member's list (topic, then partition).</summary>
    protected static Dictionary<string, List<TopicPartition>> SortLists(Dictionary<string, List<TopicPartition>> result)
    {
        foreach (List<TopicPartition> list in result.Values)
        {
            list.Sort();
        }
        return result;
    }

    /// <summary>True when <paramref name="member"/> subscribes to <paramref name="topic"/>.</summary>
    protected static bool Subscribes(AssignorMember member, string topic)
    {
        foreach (string t in member.Topics)
        {
            if (t == topic)
            {
                return true;
            }
        }
        return false;
    }
}
