using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Assignors;

/// <summary>
/// Converts between the ConsumerProtocol Subscription/Assignment byte strings (codecs in FastMQ.Protocol) and the
/// assignor's types. Subscriptions are written at version 3 (topics, user data, owned partitions, generation, rack),
/// assignments at version 0 — what Kafka's Java client and librdkafka 2.x write and read.
/// </summary>
internal static class ConsumerProtocolCodec
{
    public const short SubscriptionVersion = 3;
    public const short AssignmentVersion = 0;

    /// <summary>JoinGroup metadata for one assignor protocol.</summary>
    public static byte[] EncodeSubscription(IReadOnlyList<string> topics, IReadOnlyCollection<TopicPartition> owned,
        int generationId, byte[]? userData)
    {
        var subscription = new ConsumerProtocolSubscription { UserData = userData, GenerationId = generationId };
        subscription.Topics.AddRange(topics);
        subscription.OwnedPartitions.AddRange(Group(owned));
        return subscription.Encode(SubscriptionVersion);
    }

    /// <summary>
    /// Decodes a member's subscription; the generation comes from the v2+ field or, for older versions, from
    /// cooperative-sticky's 4-byte user data. Malformed bytes throw <see cref="KafkaProtocolException"/>.
    /// </summary>
    public static AssignorMember DecodeMember(string memberId, string? groupInstanceId, ReadOnlySpan<byte> metadata)
    {
        ConsumerProtocolSubscription s = ConsumerProtocolSubscription.Decode(metadata);
        int generation = s.GenerationId;
        if (s.Version < 2 && s.UserData is { Length: 4 })
        {
            generation = BinaryPrimitives.ReadInt32BigEndian(s.UserData);
        }
        return new AssignorMember(memberId, groupInstanceId, s.Topics, Flatten(s.OwnedPartitions), generation);
    }

    /// <summary>SyncGroup assignment bytes for one member.</summary>
    public static byte[] EncodeAssignment(IReadOnlyCollection<TopicPartition> partitions)
    {
        var assignment = new ConsumerProtocolAssignment();
        assignment.AssignedPartitions.AddRange(Group(partitions));
        return assignment.Encode(AssignmentVersion);
    }

    /// <summary>The partitions in a SyncGroup assignment (empty bytes: nothing assigned, as Kafka sends on errors).</summary>
    public static List<TopicPartition> DecodeAssignment(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? [] : Flatten(ConsumerProtocolAssignment.Decode(bytes).AssignedPartitions);

    private static List<TopicPartition> Flatten(List<ConsumerProtocolTopicPartitions> grouped)
    {
        var list = new List<TopicPartition>();
        foreach (ConsumerProtocolTopicPartitions g in grouped)
        {
            foreach (int p in g.Partitions)
            {
                list.Add(new TopicPartition(g.Topic, p));
            }
        }
        list.Sort();
        return list;
    }

    private static List<ConsumerProtocolTopicPartitions> Group(IReadOnlyCollection<TopicPartition> partitions)
    {
        var byTopic = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (TopicPartition tp in partitions)
        {
            if (!byTopic.TryGetValue(tp.Topic, out List<int>? list))
            {
                list = [];
                byTopic[tp.Topic] = list;
            }
            list.Add(tp.Partition);
        }
        var result = new List<ConsumerProtocolTopicPartitions>(byTopic.Count);
        foreach (KeyValuePair<string, List<int>> e in byTopic)
        {
            e.Value.Sort();
            result.Add(new ConsumerProtocolTopicPartitions { Topic = e.Key, Partitions = [.. e.Value] });
        }
        return result;
    }
}
