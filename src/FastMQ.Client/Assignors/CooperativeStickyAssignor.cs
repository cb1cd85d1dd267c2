using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace FastMQ.Client.Assignors;

/// <summary>
/// Kafka's <c>cooperative-sticky</c> assignor (KIP-429): balanced like round robin, but members keep the partitions
/// they own where balance allows, and a partition that must change owner is left unassigned in this rebalance (its
/// owner revokes it and rejoins; the next rebalance gives it to the new owner).
/// </summary>
/// <remarks>
/// <para>Method: (1) take each member's owned partitions that still exist and that it still subscribes to; a
/// partition claimed by two members goes to the higher generation, and to neither on a tie (as Kafka does);
/// (2) give each unowned partition to the eligible member with the fewest partitions (ties in member order);
/// (3) while some member has two more partitions than another member that could take one of them, move one (the
/// highest); every move lowers the sum of squared counts, so this ends, with counts within one of each other for
/// equal subscriptions; (4) remove from each result partitions another member owned (they are only revoked now).</para>
/// <para>Equal subscriptions give the same counts as Kafka's sticky assignor; which of a member's partitions move can
/// differ, which is harmless: every member reads the leader's assignment, whoever runs it.</para>
/// </remarks>
internal sealed class CooperativeStickyAssignor : PartitionAssignor
{
    public const string ProtocolName = "cooperative-sticky";

    public override string Name => ProtocolName;

    public override RebalanceProtocol Protocol => RebalanceProtocol.Cooperative;

    /// <summary>Kafka's cooperative-sticky writes the generation as INT32 user data for old subscription versions.</summary>
    public override byte[]? SubscriptionUserData(int generationId)
    {
        byte[] data = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(data, generationId);
        return data;
    }

    public override Dictionary<string, List<TopicPartition>> Assign(
        IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members)
    {
        ArgumentNullException.ThrowIfNull(partitionsPerTopic);
        ArgumentNullException.ThrowIfNull(members);
        Dictionary<string, List<TopicPartition>> result = EmptyResult(members);
        List<AssignorMember> sorted = Sorted(members);
        if (sorted.Count == 0)
        {
            return result;
        }
        Dictionary<TopicPartition, AssignorMember> previous = PreviousOwners(partitionsPerTopic, sorted);
        foreach (KeyValuePair<TopicPartition, AssignorMember> owned in previous)
        {
            result[owned.Value.MemberId].Add(owned.Key);
        }
        AssignUnowned(partitionsPerTopic, sorted, previous, result);
        Balance(sorted, result);
        // Cooperative: a partition still owned by another member is only revoked in this round.
        foreach (AssignorMember m in sorted)
        {
            result[m.MemberId].RemoveAll(tp => previous.TryGetValue(tp, out AssignorMember? owner) && owner.MemberId != m.MemberId);
        }
        return SortLists(result);
    }

    private static Dictionary<TopicPartition, AssignorMember> PreviousOwners(
        IReadOnlyDictionary<string, int> partitionsPerTopic, List<AssignorMember> sorted)
    {
        var owners = new Dictionary<TopicPartition, AssignorMember>();
        var conflicted = new HashSet<TopicPartition>();
        foreach (AssignorMember m in sorted)
        {
            foreach (TopicPartition tp in m.OwnedPartitions)
            {
                if (!partitionsPerTopic.TryGetValue(tp.Topic, out int count) || tp.Partition < 0 || tp.Partition >= count
                    || !Subscribes(m, tp.Topic))
                {
                    continue;
                }
                if (!owners.TryGetValue(tp, out AssignorMember? other))
                {
                    owners[tp] = m;
                }
                else if (m.GenerationId > other.GenerationId)
                {
                    owners[tp] = m;
                    conflicted.Remove(tp);
                }
                else if (m.GenerationId == other.GenerationId)
                {
                    conflicted.Add(tp);
                }
            }
        }
        foreach (TopicPartition tp in conflicted)
        {
            owners.Remove(tp);
        }
        return owners;
    }

    private static void AssignUnowned(IReadOnlyDictionary<string, int> partitionsPerTopic, List<AssignorMember> sorted,
        Dictionary<TopicPartition, AssignorMember> previous, Dictionary<string, List<TopicPartition>> result)
    {
        List<string> topics = SortedTopics(partitionsPerTopic);
        foreach (string topic in topics)
        {
            for (int p = 0; p < partitionsPerTopic[topic]; p++)
            {
                var tp = new TopicPartition(topic, p);
                if (previous.ContainsKey(tp))
                {
                    continue;
                }
                AssignorMember? best = null;
                foreach (AssignorMember m in sorted)
                {
                    if (Subscribes(m, topic) && (best is null || result[m.MemberId].Count < result[best.MemberId].Count))
                    {
                        best = m;
                    }
                }
                if (best is not null)
                {
                    result[best.MemberId].Add(tp);
                }
            }
        }
    }

    private static void Balance(List<AssignorMember> sorted, Dictionary<string, List<TopicPartition>> result)
    {
        while (TryMoveOne(sorted, result))
        {
        }
    }

    private static bool TryMoveOne(List<AssignorMember> sorted, Dictionary<string, List<TopicPartition>> result)
    {
        // Most loaded members first (member order on ties), so the move that helps balance most is found first.
        var byLoad = new List<AssignorMember>(sorted);
        byLoad.Sort((a, b) =>
        {
            int c = result[b.MemberId].Count.CompareTo(result[a.MemberId].Count);
            return c != 0 ? c : MemberOrder.Instance.Compare(a, b);
        });
        foreach (AssignorMember from in byLoad)
        {
            List<TopicPartition> source = result[from.MemberId];
            source.Sort();
            for (int i = source.Count - 1; i >= 0; i--)
            {
                TopicPartition tp = source[i];
                AssignorMember? to = null;
                foreach (AssignorMember m in sorted)
                {
                    int count = result[m.MemberId].Count;
                    if (m != from && count < source.Count - 1 && Subscribes(m, tp.Topic)
                        && (to is null || count < result[to.MemberId].Count))
                    {
                        to = m;
                    }
                }
                if (to is not null)
                {
                    source.RemoveAt(i);
                    result[to.MemberId].Add(tp);
                    return true;
                }
            }
        }
        return false;
    }
}
