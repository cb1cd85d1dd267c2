using System;
using System.Collections.Generic;

namespace FastMQ.Broker.Metadata;

/// <summary>
/// An immutable snapshot of every topic. Readers on any shard take the current image with one volatile read and use
/// it without locks; the (single) writer builds a new image and swaps the reference.
/// </summary>
/// <remarks>Lookups by UTF-16 span use the dictionary's alternate lookup, so a request's topic name needs no string.</remarks>
public sealed class MetadataImage
{
    private readonly Dictionary<string, TopicMetadata> _topics;
    private readonly Dictionary<string, TopicMetadata>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public static readonly MetadataImage Empty = new(new Dictionary<string, TopicMetadata>(StringComparer.Ordinal), 0);

    private MetadataImage(Dictionary<string, TopicMetadata> topics, long version)
    {
        _topics = topics;
        _bySpan = topics.GetAlternateLookup<ReadOnlySpan<char>>();
        Version = version;
    }

    /// <summary>Incremented by every change.</summary>
    public long Version { get; }

    public IReadOnlyCollection<TopicMetadata> Topics => _topics.Values;

    public int TopicCount => _topics.Count;

    public bool TryGet(string name, out TopicMetadata topic) => _topics.TryGetValue(name, out topic!);

    public bool TryGet(ReadOnlySpan<char> name, out TopicMetadata topic) => _bySpan.TryGetValue(name, out topic!);

    /// <summary>Looks a topic up by its UTF-8 name without allocating (names are at most 249 characters).</summary>
    public bool TryGetUtf8(ReadOnlySpan<byte> utf8Name, out TopicMetadata topic)
    {
        if (utf8Name.Length > TopicNames.MaxLength * 3)
        {
            topic = null!;
            return false;
        }
        Span<char> chars = stackalloc char[utf8Name.Length];
        if (!System.Text.Unicode.Utf8.ToUtf16(utf8Name, chars, out _, out int written, replaceInvalidSequences: false).Equals(System.Buffers.OperationStatus.Done))
        {
            topic = null!;
            return false;
        }
        return _bySpan.TryGetValue(chars[..written], out topic!);
    }

    public MetadataImage With(TopicMetadata topic)
    {
        var copy = new Dictionary<string, TopicMetadata>(_topics, StringComparer.Ordinal)
        {
            [topic.Name] = topic,
        };
        return new MetadataImage(copy, Version + 1);
    }

    public MetadataImage Without(string name)
    {
        var copy = new Dictionary<string, TopicMetadata>(_topics, StringComparer.Ordinal);
        copy.Remove(name);
        return new MetadataImage(copy, Version + 1);
    }
}
