using System;
using System.Diagnostics.CodeAnalysis;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// Allocation-free writer of a complete Produce response frame (size, header, body; key 0, versions 0-11) straight
/// into the caller's output buffer.
/// </summary>
/// <remarks>
/// <para>Call order: constructor (topic count) → per topic <see cref="BeginTopic"/> (partition count),
/// <see cref="WritePartition"/> × count, <see cref="EndTopic"/> → <see cref="Complete"/>. Counts come first because
/// they precede the elements on the wire; the request gives them (<see cref="ProduceRequestReader"/>). A mismatch
/// throws <see cref="InvalidOperationException"/> rather than emit a corrupt frame.</para>
/// <para>Size the buffer with <see cref="GetMaxSize"/> (or <see cref="ProduceRequestReader.MaxResponseSize"/>); a
/// buffer that is too small throws <see cref="InvalidOperationException"/>. Per-partition RecordErrors (v8+) are
/// always written empty; CurrentLeader (v10+, tag 0) is written only when a leader id is given; the top-level
/// NodeEndpoints tag is never written.</para>
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification = "The KafkaWriter is in fixed mode over the caller's span and owns nothing.")]
public ref struct ProduceResponseWriter
{
    private KafkaWriter _writer;
    private readonly bool _flexible;
    private readonly int _frameSlot;
    private int _topicsLeft;
    private int _partitionsLeft;
    private bool _inTopic;

    /// <summary>Starts the frame: size slot, response header, topic count.</summary>
    public ProduceResponseWriter(Span<byte> destination, short version, int correlationId, int topicCount)
    {
        MessageVersion.Check("ProduceResponse", version, ProduceRequestReader.MinVersion, ProduceRequestReader.MaxVersion);
        ArgumentOutOfRangeException.ThrowIfNegative(topicCount);
        Version = version;
        _flexible = version >= ProduceRequestReader.FirstFlexibleVersion;
        _writer = new KafkaWriter(destination);
        _frameSlot = ResponseHeader.BeginFrame(ref _writer, correlationId, _flexible);
        _writer.WriteArrayCount(topicCount, _flexible);
        _topicsLeft = topicCount;
        _partitionsLeft = 0;
        _inTopic = false;
    }

    public short Version { get; }

    /// <summary>Bytes written so far (the whole frame once <see cref="Complete"/> has returned).</summary>
    public readonly int Position => _writer.Position;

    /// <summary>The frame bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _writer.Written;

    /// <summary>Upper bound of a response frame without error messages.</summary>
    public static int GetMaxSize(short version, int topicCount, int partitionCount, int topicNameBytes)
    {
        _ = version;
        // Frame and header 9, topic count 5, throttle 4, tags 1; per topic name prefix 3, count 5, tags 1;
        // per partition 30 fixed + 6 for RecordErrors/ErrorMessage + 12 for tags with CurrentLeader.
        long size = 32 + (16L * topicCount) + topicNameBytes + (48L * partitionCount);
        return (int)Math.Min(size, int.MaxValue);
    }

    public void BeginTopic(scoped ReadOnlySpan<byte> name, int partitionCount)
    {
        if (_inTopic || _topicsLeft == 0)
        {
            KafkaThrow.InvalidState(_inTopic ? "BeginTopic called before EndTopic." : "More topics than declared.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(partitionCount);
        _writer.WriteString(name, _flexible);
        _writer.WriteArrayCount(partitionCount, _flexible);
        _topicsLeft--;
        _partitionsLeft = partitionCount;
        _inTopic = true;
    }

    /// <summary>Writes one partition result.</summary>
    /// <param name="partitionIndex">The partition.</param>
    /// <param name="errorCode">The result.</param>
    /// <param name="baseOffset">Offset given to the batch's first record; -1 on error.</param>
    /// <param name="logAppendTimeMs">v2+: broker time for LogAppendTime topics, else -1.</param>
    /// <param name="logStartOffset">v5+: the partition's log start offset (-1 when unknown).</param>
    /// <param name="errorMessage">v8+: optional message; null writes the null marker.</param>
    /// <param name="currentLeaderId">v10+: with a leader error, the leader to use (tag 0); -1 omits the tag.</param>
    /// <param name="currentLeaderEpoch">v10+: that leader's epoch.</param>
    public void WritePartition(int partitionIndex, ErrorCode errorCode, long baseOffset, long logAppendTimeMs = -1,
        long logStartOffset = -1, string? errorMessage = null, int currentLeaderId = -1, int currentLeaderEpoch = -1)
    {
        if (!_inTopic || _partitionsLeft == 0)
        {
            KafkaThrow.InvalidState(_inTopic ? "More partitions than declared for the topic." : "WritePartition outside a topic.");
        }
        _writer.WriteInt32(partitionIndex);
        _writer.WriteInt16((short)errorCode);
        _writer.WriteInt64(baseOffset);
        if (Version >= 2)
        {
            _writer.WriteInt64(logAppendTimeMs);
        }
        if (Version >= 5)
        {
            _writer.WriteInt64(logStartOffset);
        }
        if (Version >= 8)
        {
            _writer.WriteArrayCount(0, _flexible);
            _writer.WriteNullableString(errorMessage, _flexible);
        }
        if (_flexible)
        {
            if (Version >= 10 && currentLeaderId >= 0)
            {
                // One tagged field: tag 0, size 9 (LeaderId, LeaderEpoch, empty inner tag section).
                _writer.WriteUnsignedVarint(1);
                _writer.WriteUnsignedVarint(0);
                _writer.WriteUnsignedVarint(9);
                _writer.WriteInt32(currentLeaderId);
                _writer.WriteInt32(currentLeaderEpoch);
                _writer.WriteEmptyTaggedFields(flexible: true);
            }
            else
            {
                _writer.WriteEmptyTaggedFields(flexible: true);
            }
        }
        _partitionsLeft--;
    }

    public void EndTopic()
    {
        if (!_inTopic || _partitionsLeft != 0)
        {
            KafkaThrow.InvalidState(_inTopic ? $"{_partitionsLeft} declared partitions were not written." : "EndTopic without BeginTopic.");
        }
        _writer.WriteEmptyTaggedFields(_flexible);
        _inTopic = false;
    }

    /// <summary>Writes ThrottleTimeMs (v1+) and the body's tagged section, fills in the frame size, and returns the
    /// frame length including the size prefix.</summary>
    public int Complete(int throttleTimeMs = 0)
    {
        if (_inTopic || _topicsLeft != 0)
        {
            KafkaThrow.InvalidState(_inTopic ? "Complete called inside a topic." : $"{_topicsLeft} declared topics were not written.");
        }
        if (Version >= 1)
        {
            _writer.WriteInt32(throttleTimeMs);
        }
        _writer.WriteEmptyTaggedFields(_flexible);
        return ResponseHeader.EndFrame(ref _writer, _frameSlot);
    }
}
