using System;
using System.Collections.Generic;

namespace FastMQ.Client.Assignors;

/// <summary>
/// Kafka's <c>roundrobin</c> assignor: every partition of every subscribed topic, sorted by topic and partition, is
/// dealt in turn to the members in member order, skipping members not subscribed to the partition's topic.
/// </summary>
internal sealed class RoundRobinAssignor : PartitionAssignor
{
    public const string ProtocolName = "roundrobin";

    public override string Name => ProtocolName;

    public override RebalanceProtocol Protocol => RebalanceProtocol.Eager;

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
        List<string> topics = SortedTopics(partitionsPerTopic);
        int next = 0;
        foreach (string topic in topics)
        {
            bool anySubscriber = false;
            foreach (AssignorMember m in sorted)
            {
                anySubscriber |= Subscribes(m, topic);
            }
            if (!anySubscriber)
            {
                continue;
            }
            for (int p = 0; p < partitionsPerTopic[topic]; p++)
            {
                while (!Subscribes(sorted[next], topic))
                {
                    next = (next + 1) % sorted.Count;
                }
                result[sorted[next].MemberId].Add(new TopicPartition(topic, p));
                next = (next + 1) % sorted.Count;
            }
        }
        return SortLists(result);
    }
}
