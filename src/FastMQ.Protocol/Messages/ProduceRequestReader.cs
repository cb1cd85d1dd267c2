using System;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// Allocation-free reader of a Produce request body (key 0, versions 0-11): topics → partitions → records, with topic
/// names and records as slices of the request buffer.
/// </summary>
/// <remarks>
/// <para>The constructor validates the whole body (every length, count, tagged section, no trailing bytes) before
/// returning, so iteration cannot fail half-way: a malformed request throws <see cref="KafkaProtocolException"/>
/// before the handler appends anything. Batch contents are not inspected here; run the record-batch validator on
/// each partition's records.</para>
/// <para>Iterate with <see cref="TryReadTopic"/> then <see cref="TryReadPartition"/> until each returns false;
/// calling <see cref="TryReadTopic"/> early skips the rest of the current topic. <see cref="Reset"/> rewinds for a
/// second pass (for example to write the response after the appends). Versions 0-2 parse (the layout differs only
/// by the missing TransactionalId) but FastMQ does not serve them; the table marks them unserved.</para>
/// </remarks>
public ref struct ProduceRequestReader
{
    public const short MinVersion = 0;
    public const short MaxVersion = 11;
    public const short FirstFlexibleVersion = 9;

    private readonly ReadOnlySpan<byte> _transactionalId;
    private readonly bool _flexible;
    private readonly int _topicsStart;
    private KafkaReader _reader;
    private int _topicsLeft;
    private int _partitionsLeft;
    private bool _inTopic;

    /// <param name="body">The request body: the bytes after the request header, exactly to the end of the frame.</param>
    /// <param name="version">The request's API version.</param>
    public ProduceRequestReader(ReadOnlySpan<byte> body, short version)
    {
        MessageVersion.Check("ProduceRequest", version, MinVersion, MaxVersion);
        Version = version;
        _flexible = version >= FirstFlexibleVersion;
        _reader = new KafkaReader(body);
        if (version >= 3)
        {
            _transactionalId = _reader.ReadNullableStringSpan(_flexible, out bool isNull);
            TransactionalIdIsNull = isNull;
        }
        else
        {
            _transactionalId = default;
            TransactionalIdIsNull = true;
        }
        Acks = _reader.ReadInt16();
        TimeoutMs = _reader.ReadInt32();
        TopicCount = _reader.ReadArrayCount(_flexible, _flexible ? 2 : 6);
        _topicsStart = _reader.Position;
        PartitionCount = 0;
        TopicNameBytes = 0;
        RecordsBytes = 0;
        _topicsLeft = 0;
        _partitionsLeft = 0;
        _inTopic = false;
        Validate();
        Reset();
    }

    public short Version { get; }

    /// <summary>v3+; empty when null.</summary>
    public readonly ReadOnlySpan<byte> TransactionalId => _transactionalId;

    public bool TransactionalIdIsNull { get; }

    /// <summary>0 = no response at all, 1 = leader, -1 = all in-sync replicas (anything else is INVALID_REQUIRED_ACKS).</summary>
    public short Acks { get; }

    public int TimeoutMs { get; }

    public int TopicCount { get; }

    /// <summary>Partitions over all topics.</summary>
    public int PartitionCount { get; private set; }

    /// <summary>UTF-8 bytes of all topic names together (for response sizing).</summary>
    public int TopicNameBytes { get; private set; }

    /// <summary>Record bytes over all partitions.</summary>
    public long RecordsBytes { get; private set; }

    /// <summary>
    /// Upper bound of the response frame this request produces with <see cref="ProduceResponseWriter"/>, assuming no
    /// error messages (add their UTF-8 length plus 3 per message when you pass any).
    /// </summary>
    public readonly int MaxResponseSize => ProduceResponseWriter.GetMaxSize(Version, TopicCount, PartitionCount, TopicNameBytes);

    /// <summary>Rewinds iteration to the first topic.</summary>
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
        partitionCount = _reader.ReadArrayCount(_flexible, _flexible ? 6 : 8);
        _topicsLeft--;
        _partitionsLeft = partitionCount;
        _inTopic = true;
        return true;
    }

    /// <summary>Moves to the next partition of the current topic; false at the end of the topic.</summary>
    public bool TryReadPartition(out ProducePartitionData partition)
    {
        if (!_inTopic || _partitionsLeft == 0)
        {
            FinishTopic();
            partition = default;
            return false;
        }
        int index = _reader.ReadInt32();
        ReadOnlySpan<byte> records = _reader.ReadNullableBytes(_flexible, out bool isNull);
        int recordsOffset = _reader.Position - records.Length;
        if (_flexible)
        {
            _reader.SkipTaggedFields();
        }
        _partitionsLeft--;
        partition = new ProducePartitionData(index, records, isNull, recordsOffset);
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
            _reader.ReadInt32();
            _reader.ReadNullableBytes(_flexible, out _);
            if (_flexible)
            {
                _reader.SkipTaggedFields();
            }
            _partitionsLeft--;
        }
        if (_flexible)
        {
            _reader.SkipTaggedFields();
        }
        _inTopic = false;
    }

    private void Validate()
    {
        int partitions = 0;
        int nameBytes = 0;
        long recordsBytes = 0;
        for (int t = 0; t < TopicCount; t++)
        {
            nameBytes += _reader.ReadStringSpan(_flexible).Length;
            int count = _reader.ReadArrayCount(_flexible, _flexible ? 6 : 8);
            for (int p = 0; p < count; p++)
            {
                _reader.ReadInt32();
                recordsBytes += _reader.ReadNullableBytes(_flexible, out _).Length;
                if (_flexible)
                {
                    _reader.SkipTaggedFields();
                }
            }
            partitions += count;
            if (_flexible)
            {
                _reader.SkipTaggedFields();
            }
        }
        if (_flexible)
        {
            _reader.SkipTaggedFields();
        }
        _reader.EnsureEnd("ProduceRequest");
        PartitionCount = partitions;
        TopicNameBytes = nameBytes;
        RecordsBytes = recordsBytes;
    }
}
