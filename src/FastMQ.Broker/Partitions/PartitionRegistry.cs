using System;
using System.Collections.Generic;

namespace FastMQ.Broker.Partitions;

/// <summary>
/// Immutable map topic → partitions, swapped by reference when topics change. Any shard may look a partition up to
/// route work to its owner; only the owner touches the partition's state.
/// </summary>
internal sealed class PartitionRegistry
{
    private readonly Dictionary<string, Partition[]> _topics;
    private readonly Dictionary<string, Partition[]>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public static readonly PartitionRegistry Empty = new(new Dictionary<string, Partition[]>(StringComparer.Ordinal));

    private PartitionRegistry(Dictionary<string, Partition[]> topics)
    {
        _topics = topics;
        _bySpan = topics.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool TryGetTopic(string name, out Partition[] partitions) => _topics.TryGetValue(name, out partitions!);

    /// <summary>Looks a topic up by its UTF-8 name without allocating.</summary>
    public bool TryGetTopicUtf8(ReadOnlySpan<byte> utf8Name, out Partition[] partitions)
    {
        partitions = null!;
        if (utf8Name.Length > Metadata.TopicNames.MaxLength * 3)
        {
            return false;
        }
        Span<char> chars = stackalloc char[utf8Name.Length];
        if (System.Text.Unicode.Utf8.ToUtf16(utf8Name, chars, out _, out int written, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }
        return _bySpan.TryGetValue(chars[..written], out partitions!);
    }

    public IEnumerable<Partition[]> All => _topics.Values;

    public PartitionRegistry With(string topic, Partition[] partitions)
    {
        var copy = new Dictionary<string, Partition[]>(_topics, StringComparer.Ordinal) { [topic] = partitions };
        return new PartitionRegistry(copy);
    }

    public PartitionRegistry Without(string topic)
    {
        var copy = new Dictionary<string, Partition[]>(_topics, StringComparer.Ordinal);
        copy.Remove(topic);
        return new PartitionRegistry(copy);
    }
}
