using System;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// Allocation-free reader of a Fetch request body (key 1, versions 4-12): request limits, topics → partitions,
/// forgotten topics, rack id and the ClusterId tag, with names as slices of the request buffer.
/// </summary>
/// <remarks>
/// <para>The constructor validates the whole body first (so iteration cannot fail half-way) and captures the fields
/// that sit after the topic list on the wire (<see cref="RackId"/>, <see cref="ClusterId"/>, the forgotten-topic
/// count), so they are available before iteration starts.</para>
/// <para>Iterate with <see cref="TryReadTopic"/> then <see cref="TryReadPartition"/>; <see cref="Reset"/> rewinds.
/// Forgotten topics (incremental sessions, v7+) have their own cursor: <see cref="TryReadForgottenTopic"/>.</para>
/// </remarks>
public ref struct FetchRequestReader
{
    public const short MinVersion = 4;
    public const short MaxVersion = 12;
    public const short FirstFlexibleVersion = 12;

    private readonly ReadOnlySpan<byte> _rackId;
    private readonly ReadOnlySpan<byte> _clusterId;
    private readonly bool _flexible;
    private readonly int _topicsStart;
    private KafkaReader _reader;
    private KafkaReader _forgotten;
    private int _topicsLeft;
    private int _partitionsLeft;
    private bool _inTopic;
    private int _forgottenLeft;

    /// <param name="body">The request body: the bytes after the request header, exactly to the end of the frame.</param>
    /// <param name="version">The request's API version.</param>
    public FetchRequestReader(ReadOnlySpan<byte> body, short version)
    {
        MessageVersion.Check("FetchRequest", version, MinVersion, MaxVersion);
        Version = version;
        _flexible = version >= FirstFlexibleVersion;
        _reader = new KafkaReader(body);
        ReplicaId = _reader.ReadInt32();
        MaxWaitMs = _reader.ReadInt32();
        MinBytes = _reader.ReadInt32();
        MaxBytes = _reader.ReadInt32();
        IsolationLevel = _reader.ReadInt8();
        if (version >= 7)
        {
            SessionId = _reader.ReadInt32();
            SessionEpoch = _reader.ReadInt32();
        }
        else
        {
            SessionId = 0;
            SessionEpoch = -1;
        }
        TopicCount = _reader.ReadArrayCount(_flexible, _flexible ? 3 : 6);
        _topicsStart = _reader.Position;

        // Validation pass: walk everything once so later iteration cannot throw.
        int partitions = 0;
        int nameBytes = 0;
        for (int t = 0; t < TopicCount; t++)
        {
            nameBytes += _reader.ReadStringSpan(_flexible).Length;
            int count = _reader.ReadArrayCount(_flexible, PartitionMinSize(version));
            for (int p = 0; p < count; p++)
            {
                _ = ReadPartition(ref _reader, version, _flexible);
            }
            partitions += count;
            SkipTags(ref _reader, _flexible);
        }
        PartitionCount = partitions;
        TopicNameBytes = nameBytes;

        ForgottenTopicCount = ValidateTail(ref _reader, version, _flexible, out int forgottenStart, out _rackId,
            out _clusterId, out bool clusterIdIsNull);
        ClusterIdIsNull = clusterIdIsNull;
        _reader.EnsureEnd("FetchRequest");

        _forgotten = new KafkaReader(body);
        _forgotten.Seek(forgottenStart);
        _forgottenLeft = ForgottenTopicCount;
        _topicsLeft = 0;
        _partitionsLeft = 0;
        _inTopic = false;
        Reset();
    }

    public short Version { get; }

    /// <summary>-1 from consumers; a broker id from followers.</summary>
    public int ReplicaId { get; }

    public int MaxWaitMs { get; }

    public int MinBytes { get; }

    /// <summary>Soft limit on the whole response (KIP-74).</summary>
    public int MaxBytes { get; }

    /// <summary>0 read_uncommitted, 1 read_committed.</summary>
    public sbyte IsolationLevel { get; }

    /// <summary>v7+; 0 = no session.</summary>
    public int SessionId { get; }

    /// <summary>v7+; -1 = full request without a session.</summary>
    public int SessionEpoch { get; }

    public int TopicCount { get; }

    /// <summary>Partitions over all topics.</summary>
    public int PartitionCount { get; }

    /// <summary>UTF-8 bytes of all topic names together (for response sizing).</summary>
    public int TopicNameBytes { get; }

    /// <summary>v7+.</summary>
    public int ForgottenTopicCount { get; }

    /// <summary>v11+; empty before.</summary>
    public readonly ReadOnlySpan<byte> RackId => _rackId;

    /// <summary>v12+ tag 0; empty when null or absent.</summary>
    public readonly ReadOnlySpan<byte> ClusterId => _clusterId;

    public bool ClusterIdIsNull { get; }

    /// <summary>
    /// Upper bound of the response frame's bytes other than records, with no aborted transactions (add 17 per
    /// aborted transaction written).
    /// </summary>
    public readonly int MaxResponseOverhead =>
        FetchResponseWriter.GetMaxOverhead(Version, TopicCount, PartitionCount, TopicNameBytes);

    /// <summary>Rewinds topic iteration to the first topic.</summary>
    public void Reset()
    {
        _reader.Seek(_topicsStart);
        _topicsLeft = TopicCount;
        _partitionsLeft = 0;
        _inTopic = false;
    }

    /// <summary>Moves to the next topic; false when all topics have been read.</summary>
    public bool TryReadTopic(out ReadOnlySpan<byte> name, out int partitionCount)
    {
        FinishTopic();
        if (_topicsLeft == 0)
        {
            name = default;
            partitionCount = 0;
            return false;
        }
        name = _reader.ReadStringSpan(_flexible);
        partitionCount = _reader.ReadArrayCount(_flexible, PartitionMinSize(Version));
        _topicsLeft--;
        _partitionsLeft = partitionCount;
        _inTopic = true;
        return true;
    }

    /// <summary>Moves to the next partition of the current topic; false at the end of the topic.</summary>
    public bool TryReadPartition(out FetchPartitionRequest partition)
    {
        if (!_inTopic || _partitionsLeft == 0)
        {
            FinishTopic();
            partition = default;
            return false;
        }
        partition = ReadPartition(ref _reader, Version, _flexible);
        _partitionsLeft--;
        return true;
    }

    /// <summary>Moves to the next forgotten topic (v7+); false when there are no more.</summary>
    public bool TryReadForgottenTopic(out ReadOnlySpan<byte> name, out Int32ArrayView partitions)
    {
        if (_forgottenLeft == 0)
        {
            name = default;
            partitions = default;
            return false;
        }
        name = _forgotten.ReadStringSpan(_flexible);
        partitions = Int32ArrayView.Read(ref _forgotten, _flexible);
        SkipTags(ref _forgotten, _flexible);
        _forgottenLeft--;
        return true;
    }

    private void FinishTopic()
    {
        if (!_inTopic)
        {
            return;
        }
        while (_partitionsLeft > 0)
        {
            _ = ReadPartition(ref _reader, Version, _flexible);
            _partitionsLeft--;
        }
        SkipTags(ref _reader, _flexible);
        _inTopic = false;
    }

    private static FetchPartitionRequest ReadPartition(ref KafkaReader reader, short version, bool flexible)
    {
        int partition = reader.ReadInt32();
        int currentLeaderEpoch = version >= 9 ? reader.ReadInt32() : -1;
        long fetchOffset = reader.ReadInt64();
        int lastFetchedEpoch = version >= 12 ? reader.ReadInt32() : -1;
        long logStartOffset = version >= 5 ? reader.ReadInt64() : -1;
        int partitionMaxBytes = reader.ReadInt32();
        SkipTags(ref reader, flexible);
        return new FetchPartitionRequest(partition, currentLeaderEpoch, fetchOffset, lastFetchedEpoch, logStartOffset,
            partitionMaxBytes);
    }

    /// <summary>Walks the fields after the topic list: forgotten topics (v7+), RackId (v11+), the body's tags.</summary>
    private static int ValidateTail(scoped ref KafkaReader reader, short version, bool flexible, out int forgottenStart,
        out ReadOnlySpan<byte> rackId, out ReadOnlySpan<byte> clusterId, out bool clusterIdIsNull)
    {
        int forgottenCount = 0;
        forgottenStart = reader.Position;
        if (version >= 7)
        {
            forgottenCount = reader.ReadArrayCount(flexible, flexible ? 3 : 6);
            forgottenStart = reader.Position;
            for (int t = 0; t < forgottenCount; t++)
            {
                _ = reader.ReadStringSpan(flexible);
                _ = Int32ArrayView.Read(ref reader, flexible);
                SkipTags(ref reader, flexible);
            }
        }
        rackId = version >= 11 ? reader.ReadStringSpan(flexible) : default;
        clusterId = default;
        clusterIdIsNull = true;
        if (!flexible)
        {
            return forgottenCount;
        }
        int tags = reader.ReadTaggedFieldCount();
        for (int i = 0; i < tags; i++)
        {
            ReadOnlySpan<byte> data = reader.ReadTaggedField(out uint tag);
            if (tag == 0)
            {
                var tagReader = new KafkaReader(data);
                clusterId = tagReader.ReadNullableStringSpan(flexible: true, out clusterIdIsNull);
                tagReader.EnsureEnd("FetchRequest ClusterId tag");
            }
        }
        return forgottenCount;
    }

    private static void SkipTags(ref KafkaReader reader, bool flexible)
    {
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
    }

    /// <summary>Fewest bytes one partition entry takes in <paramref name="version"/>.</summary>
    internal static int PartitionMinSize(short version) =>
        16 + (version >= 5 ? 8 : 0) + (version >= 9 ? 4 : 0) + (version >= 12 ? 5 : 0);
}
