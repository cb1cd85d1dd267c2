using System;
using System.Collections.Generic;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Consuming;

/// <summary>
/// The partition counts a group leader assigned from: every topic some member subscribes to, and how many partitions
/// each had. The leader compares later metadata with it and rejoins when a count changed (partitions added, a topic
/// deleted or created), so that the group assigns what changed, as Kafka's consumers do (Java's ConsumerCoordinator
/// assignment snapshot, librdkafka's metadata update check).
/// </summary>
/// <remarks>Immutable: built by the join task, then only read (by the application thread, after the join completed).</remarks>
internal sealed class MetadataSnapshot
{
    private readonly Dictionary<string, int> _partitionsPerTopic;

    /// <summary>Counts the partitions of <paramref name="topics"/> in <paramref name="metadata"/> (see <see cref="CountOf"/>).</summary>
    public MetadataSnapshot(IEnumerable<string> topics, MetadataResponse? metadata)
    {
        var sorted = new List<string>(topics);
        sorted.Sort(StringComparer.Ordinal);
        Topics = sorted;
        _partitionsPerTopic = new Dictionary<string, int>(StringComparer.Ordinal);
        if (metadata is null)
        {
            return;
        }
        foreach (MetadataResponse.Topic t in metadata.Topics)
        {
            if (t.Name is not null && CountOf(t) is int count and > 0)
            {
                _partitionsPerTopic[t.Name] = count;
            }
        }
    }

    /// <summary>The group's subscribed topics, sorted.</summary>
    public IReadOnlyList<string> Topics { get; }

    /// <summary>Partitions per topic for the assignor; a topic missing here had none (unknown, or not yet created).</summary>
    public IReadOnlyDictionary<string, int> PartitionsPerTopic => _partitionsPerTopic;

    /// <summary>
    /// Describes the first subscribed topic whose partition count in <paramref name="metadata"/> differs from the one
    /// assigned from; null when none does. Topics the response leaves out or reports with a transient error are not
    /// judged (a later refresh will be).
    /// </summary>
    public string? FindChange(MetadataResponse metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        foreach (string topic in Topics)
        {
            MetadataResponse.Topic? found = null;
            foreach (MetadataResponse.Topic t in metadata.Topics)
            {
                if (t.Name == topic)
                {
                    found = t;
                    break;
                }
            }
            if (found is null || CountOf(found) is not int now)
            {
                continue;
            }
            int before = _partitionsPerTopic.GetValueOrDefault(topic);
            if (now != before)
            {
                return $"topic '{topic}' has {now} partitions, the group's assignment was made with {before}";
            }
        }
        return null;
    }

    /// <summary>
    /// The partition count of a Metadata topic: its partitions when the broker reports no error, 0 when the topic does
    /// not exist, null for other errors (e.g. LEADER_NOT_AVAILABLE while it is being created): undecided.
    /// </summary>
    private static int? CountOf(MetadataResponse.Topic topic) => topic.ErrorCode switch
    {
        ErrorCode.None => topic.Partitions.Count,
        ErrorCode.UnknownTopicOrPartition or ErrorCode.UnknownTopicId => 0,
        _ => null,
    };
}
