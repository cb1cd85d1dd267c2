using System;
using System.Diagnostics.CodeAnalysis;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// Allocation-free writer of a complete Fetch response frame (key 1, versions 4-12) into the caller's output buffer,
/// leaving each partition's records to the caller: copied in with <see cref="WriteRecords"/>, or sent from a file
/// (sendfile) after marking them with <see cref="MarkRecordsExternal"/>.
/// </summary>
/// <remarks>
/// <para>Call order: constructor (topic count) → per topic <see cref="BeginTopic"/> (partition count) → per
/// partition <see cref="BeginPartition"/> (fields up to and including the records length prefix), then exactly
/// <c>recordsLength</c> record bytes via <see cref="WriteRecords"/> and/or <see cref="MarkRecordsExternal"/>, then
/// <see cref="EndPartition"/> (the partition's tagged section, which follows the records in flexible versions) →
/// <see cref="EndTopic"/> → <see cref="Complete"/>. Counts and lengths are checked; a mismatch throws
/// <see cref="InvalidOperationException"/> instead of emitting a corrupt frame.</para>
/// <para>External records: <see cref="MarkRecordsExternal"/> returns the buffer offset where they belong. The
/// connection then sends buffer[..offset₁], the first file range, buffer[offset₁..offset₂], … buffer[offsetₙ..end].
/// The frame size written by <see cref="Complete"/> already counts the external bytes.</para>
/// <para>Classic versions (4-11) write RECORDS as INT32 length (-1 = null); v12 writes COMPACT_NULLABLE_BYTES
/// (UNSIGNED_VARINT N+1, 0 = null). The partition tags DivergingEpoch, CurrentLeader and SnapshotId, and the
/// top-level NodeEndpoints, are never written (single node, no KRaft snapshots).</para>
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification = "The KafkaWriter is in fixed mode over the caller's span and owns nothing.")]
public ref struct FetchResponseWriter
{
    private KafkaWriter _writer;
    private readonly bool _flexible;
    private readonly int _frameSlot;
    private int _topicsLeft;
    private int _partitionsLeft;
    private bool _inTopic;
    private bool _inPartition;
    private int _recordsLeft;

    /// <summary>Starts the frame: size slot, response header, ThrottleTimeMs, ErrorCode and SessionId (v7+), topic count.</summary>
    public FetchResponseWriter(Span<byte> destination, short version, int correlationId, int topicCount,
        int throttleTimeMs = 0, ErrorCode errorCode = ErrorCode.None, int sessionId = 0)
    {
        MessageVersion.Check("FetchResponse", version, FetchRequestReader.MinVersion, FetchRequestReader.MaxVersion);
        ArgumentOutOfRangeException.ThrowIfNegative(topicCount);
        Version = version;
        _flexible = version >= FetchRequestReader.FirstFlexibleVersion;
        _writer = new KafkaWriter(destination);
        _frameSlot = ResponseHeader.BeginFrame(ref _writer, correlationId, _flexible);
        _writer.WriteInt32(throttleTimeMs);
        if (version >= 7)
        {
            _writer.WriteInt16((short)errorCode);
            _writer.WriteInt32(sessionId);
        }
        _writer.WriteArrayCount(topicCount, _flexible);
        _topicsLeft = topicCount;
        _partitionsLeft = 0;
        _inTopic = false;
        _inPartition = false;
        _recordsLeft = 0;
        ExternalBytes = 0;
    }

    public short Version { get; }

    /// <summary>Bytes written into the buffer so far.</summary>
    public readonly int Position => _writer.Position;

    /// <summary>The buffer bytes written so far (without external records).</summary>
    public readonly ReadOnlySpan<byte> Written => _writer.Written;

    /// <summary>Record bytes the caller sends from outside the buffer, over all partitions.</summary>
    public long ExternalBytes { get; private set; }

    /// <summary>
    /// Upper bound of a response frame's bytes other than records and aborted transactions (add 17 per aborted
    /// transaction).
    /// </summary>
    public static int GetMaxOverhead(short version, int topicCount, int partitionCount, int topicNameBytes)
    {
        _ = version;
        // Frame, header, throttle, error, session, count, tags: 26; per topic name prefix 3, count 5, tags 1;
        // per partition 34 fixed, aborted count 4, preferred replica 4, records prefix 5, tags 1.
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

    /// <summary>
    /// Writes a partition's fields up to and including the records length prefix. The caller then supplies exactly
    /// <paramref name="recordsLength"/> bytes (-1 writes null records and expects none).
    /// </summary>
    /// <param name="header">The partition's offsets and error.</param>
    /// <param name="recordsLength">Record bytes that follow, or -1 for null.</param>
    /// <param name="abortedTransactions">v4+: aborted transactions overlapping the returned records.</param>
    /// <param name="abortedTransactionsIsNull">Write a null AbortedTransactions array instead of the list.</param>
    public void BeginPartition(in FetchPartitionHeader header, int recordsLength,
        scoped ReadOnlySpan<AbortedTransaction> abortedTransactions = default, bool abortedTransactionsIsNull = false)
    {
        if (!_inTopic || _inPartition || _partitionsLeft == 0)
        {
            KafkaThrow.InvalidState(!_inTopic ? "BeginPartition outside a topic."
                : _inPartition ? "BeginPartition called before EndPartition." : "More partitions than declared for the topic.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(recordsLength, -1);
        _writer.WriteInt32(header.PartitionIndex);
        _writer.WriteInt16((short)header.ErrorCode);
        _writer.WriteInt64(header.HighWatermark);
        _writer.WriteInt64(header.LastStableOffset);
        if (Version >= 5)
        {
            _writer.WriteInt64(header.LogStartOffset);
        }
        if (abortedTransactionsIsNull)
        {
            _writer.WriteArrayCount(-1, _flexible);
        }
        else
        {
            _writer.WriteArrayCount(abortedTransactions.Length, _flexible);
            foreach (AbortedTransaction aborted in abortedTransactions)
            {
                _writer.WriteInt64(aborted.ProducerId);
                _writer.WriteInt64(aborted.FirstOffset);
                _writer.WriteEmptyTaggedFields(_flexible);
            }
        }
        if (Version >= 11)
        {
            _writer.WriteInt32(header.PreferredReadReplica);
        }
        _writer.WriteBytesLength(recordsLength, _flexible);
        _recordsLeft = Math.Max(recordsLength, 0);
        _inPartition = true;
    }

    /// <summary>Copies record bytes into the buffer (may be called several times per partition).</summary>
    public void WriteRecords(scoped ReadOnlySpan<byte> records)
    {
        if (!_inPartition || records.Length > _recordsLeft)
        {
            KafkaThrow.InvalidState(!_inPartition ? "WriteRecords outside a partition."
                : $"{records.Length} record bytes exceed the {_recordsLeft} left of the declared length.");
        }
        _writer.WriteRaw(records);
        _recordsLeft -= records.Length;
    }

    /// <summary>
    /// Declares the partition's remaining record bytes as sent by the caller outside the buffer, and returns the buffer
    /// offset at which they belong in the byte stream.
    /// </summary>
    public int MarkRecordsExternal()
    {
        if (!_inPartition)
        {
            KafkaThrow.InvalidState("MarkRecordsExternal outside a partition.");
        }
        ExternalBytes += _recordsLeft;
        _recordsLeft = 0;
        return _writer.Position;
    }

    /// <summary>Ends the partition: writes its tagged section (flexible versions), which follows the records.</summary>
    public void EndPartition()
    {
        if (!_inPartition || _recordsLeft != 0)
        {
            KafkaThrow.InvalidState(!_inPartition ? "EndPartition without BeginPartition."
                : $"{_recordsLeft} declared record bytes were not supplied.");
        }
        _writer.WriteEmptyTaggedFields(_flexible);
        _inPartition = false;
        _partitionsLeft--;
    }

    public void EndTopic()
    {
        if (!_inTopic || _inPartition || _partitionsLeft != 0)
        {
            KafkaThrow.InvalidState(!_inTopic ? "EndTopic without BeginTopic."
                : _inPartition ? "EndTopic inside a partition." : $"{_partitionsLeft} declared partitions were not written.");
        }
        _writer.WriteEmptyTaggedFields(_flexible);
        _inTopic = false;
    }

    /// <summary>
    /// Writes the body's tagged section, fills in the frame size (buffer bytes plus <see cref="ExternalBytes"/>) and
    /// returns the frame length on the wire, including the size prefix and external bytes.
    /// </summary>
    public int Complete()
    {
        if (_inTopic || _topicsLeft != 0)
        {
            KafkaThrow.InvalidState(_inTopic ? "Complete called inside a topic." : $"{_topicsLeft} declared topics were not written.");
        }
        _writer.WriteEmptyTaggedFields(_flexible);
        return ResponseHeader.EndFrame(ref _writer, _frameSlot, ExternalBytes);
    }
}
