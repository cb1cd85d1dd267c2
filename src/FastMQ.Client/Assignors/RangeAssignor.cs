using System;
using System.Collections.Generic;

namespace FastMQ.Client.Assignors;

/// <summary>
/// Kafka's <c>range</c> assignor: per topic, the subscribed members in member order each take a contiguous range;
/// the first <c>partitions % members</c> members take one extra (7 partitions, 3 members: 0-2, 3-4, 5-6).
/// </summary>
internal sealed class RangeAssignor : PartitionAssignor
{
    public const string ProtocolName = "range";

    public override string Name => ProtocolName;

    public override RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    public override Dictionary<string, List<TopicPartition>> Assign(
        IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members)
    {
        ArgumentNullException.ThrowIfNull(partitionsPerTopic);
        ArgumentNullException.ThrowIfNull(members);
        Dictionary<string, List<TopicPartition>> result = EmptyResult(members);
        List<AssignorMember> sorted = Sorted(members);
        List<string> topics = SortedTopics(partitionsPerTopic);
        foreach (string topic in topics)
        {
            var subscribers = new List<AssignorMember>();
            foreach (AssignorMember m in sorted)
            {
                if (Subscribes(m, topic))
                {
                    subscribers.Add(m);
                }
            }
            if (subscribers.Count == 0)
            {
                continue;
            }
            int partitions = partitionsPerTopic[topic];
            int each = partitions / subscribers.Count;
            int extra = partitions % subscribers.Count;
            for (int i = 0; i < subscribers.Count; i++)
            {
                int start = (each * i) + Math.Min(i, extra);
                int length = each + (i < extra ? 1 : 0);
                List<TopicPartition> list = result[subscribers[i].MemberId];
                for (int p = start; p < start + length; p++)
                {
                    list.Add(new TopicPartition(topic, p));
                }
            }
        }
        return SortLists(result);
    }
}
