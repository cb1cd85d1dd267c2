using System;
using FastMQ.Broker.Partitions;
using FastMQ.Broker.Requests;
using FastMQ.Network;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Records;
using FastMQ.Runtime;

namespace FastMQ.Broker.Handlers;

/// <summary>
/// Produce (0), versions 3–11. The request is read in place (records stay in the receive buffer), each partition's
/// batch is appended on the partition's owner shard (one copy, into the log's aligned write buffer), and the response
/// is written once every partition is acknowledgeable under the topic's flush policy (acks 1 and -1) or at once (acks 0,
/// which sends no response). Allocation-free in steady state: contexts are pooled per shard.
/// </summary>
internal static class ProduceHandler
{
    public static void Handle(BrokerContext broker, Shard shard, RequestContext ctx)
    {
        ProduceContext produce = broker.ShardState(shard).ProducePool.Rent();
        produce.Start(broker, shard, ctx);
    }
}

/// <summary>
/// One produce request in flight. Slots are the request's partitions in request order. Lives on the request's shard
/// (the origin); the append step runs on each partition's owner shard and touches only its own slot
/// (<see cref="PartitionFanout"/>).
/// </summary>
internal sealed class ProduceContext : PartitionFanout, IDurableWaiter
{
    private Slot[] _slots = new Slot[8];
    private BrokerContext _broker = null!;
    private RequestContext _request = null!;
    private int _slotCount;
    private short _acks;

    private struct Slot
    {
        public Partition? Partition;
        public int RecordsOffset;
        public int RecordsLength;
        public ErrorCode Error;
        public long BaseOffset;
        public long LogStartOffset;
        public long LogAppendTimeMs;
        public long AppendTimestamp;
    }

    public void Start(BrokerContext broker, Shard shard, RequestContext request)
    {
        _broker = broker;
        _request = request;
        Origin = shard.Id;
        Generation++;
        var reader = new ProduceRequestReader(request.Body, request.ApiVersion);
        _acks = reader.Acks;
        _slotCount = reader.PartitionCount;
        if (_slots.Length < _slotCount)
        {
            _slots = new Slot[Math.Max(_slotCount, _slots.Length * 2)];
        }
        bool validAcks = _acks is 0 or 1 or -1;
        bool transactional = !reader.TransactionalIdIsNull;
        PartitionRegistry registry = broker.Partitions;
        int slot = 0;
        while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out _))
        {
            bool known = registry.TryGetTopicUtf8(name, out Partition[] partitions);
            while (reader.TryReadPartition(out ProducePartitionData data))
            {
                ref Slot s = ref _slots[slot++];
                s = default;
                s.BaseOffset = -1;
                s.LogStartOffset = -1;
                s.LogAppendTimeMs = -1;
                s.RecordsOffset = data.RecordsOffset;
                s.RecordsLength = data.Records.Length;
                if (!validAcks)
                {
                    s.Error = ErrorCode.InvalidRequiredAcks;
                }
                else if (transactional)
                {
                    // Transactions are not implemented: InitProducerId refuses transactional ids, so this is a misbehaving client.
                    s.Error = ErrorCode.InvalidRequest;
                }
                else if (!known || (uint)data.PartitionIndex >= (uint)partitions.Length)
                {
                    s.Error = ErrorCode.UnknownTopicOrPartition;
                }
                else if (data.RecordsIsNull || data.Records.Length < RecordBatchDescriptor.HeaderSize)
                {
                    s.Error = ErrorCode.CorruptMessage;
                }
                else
                {
                    s.Partition = partitions[data.PartitionIndex];
                }
            }
        }

        RunAll(shard);
    }

    protected override int SlotCount => _slotCount;

    protected override Partition? SlotPartition(int slot) => _slots[slot].Partition;

    protected override void RunOnOwner(Shard shard, int slot) => Append(shard, slot);

    /// <summary>On the partition's owner: validate, de-duplicate, append; then wait for durability or report.</summary>
    private void Append(Shard shard, int slot)
    {
        ref Slot s = ref _slots[slot];
        Partition p = s.Partition!;
        if (p.IsDeleted)
        {
            s.Error = ErrorCode.UnknownTopicOrPartition;
            ReportDone(shard, slot);
            return;
        }
        Span<byte> batch = _request.Frame.WritableSpan.Slice(_request.HeaderLength + s.RecordsOffset, s.RecordsLength);
        var header = new RecordBatchHeader(batch);
        if (header.Magic != RecordBatchDescriptor.CurrentMagic || header.IsControl)
        {
            s.Error = header.IsControl ? ErrorCode.InvalidRecord : ErrorCode.CorruptMessage;
            ReportDone(shard, slot);
            return;
        }
        if (header.Compression == CompressionCodec.Zstd && _request.ApiVersion < 7)
        {
            s.Error = ErrorCode.UnsupportedCompressionType;
            ReportDone(shard, slot);
            return;
        }
        long producerId = header.ProducerId;
        if (producerId >= 0)
        {
            SequenceCheck check = p.Producers.Check(producerId, header.ProducerEpoch, header.BaseSequence, header.LastOffsetDelta, out long original);
            if (check != SequenceCheck.Append)
            {
                if (check == SequenceCheck.Duplicate && RecordBatchValidator.Validate(batch, out _) == BatchValidation.Valid)
                {
                    s.BaseOffset = original;
                    s.LogStartOffset = p.Log.LogStartOffset.Value;
                }
                else
                {
                    s.Error = check switch
                    {
                        SequenceCheck.InvalidEpoch => ErrorCode.InvalidProducerEpoch,
                        SequenceCheck.Duplicate => ErrorCode.CorruptMessage,
                        _ => ErrorCode.OutOfOrderSequenceNumber,
                    };
                }
                ReportDone(shard, slot);
                return;
            }
        }
        if (p.Topic.Config.LogAppendTime && !StampLogAppendTime(batch, out s.LogAppendTimeMs))
        {
            s.Error = ErrorCode.CorruptMessage;
            ReportDone(shard, slot);
            return;
        }
        Storage.AppendStatus status = p.Log.TryAppend(batch, p.LeaderEpoch, out Storage.AppendResult result);
        if (status != Storage.AppendStatus.Ok)
        {
            s.Error = KafkaErrors.FromAppend(status);
            ReportDone(shard, slot);
            return;
        }
        if (producerId >= 0)
        {
            p.Producers.Record(producerId, header.ProducerEpoch, header.BaseSequence, header.LastOffsetDelta, result.BaseOffset.Value);
        }
        s.BaseOffset = result.BaseOffset.Value;
        s.LogStartOffset = p.Log.LogStartOffset.Value;
        Shards.BrokerShard owner = _broker.ShardState(shard);
        owner.MarkActive(p);
        // Metrics: plain counters of this (owner) shard; the timestamp starts the produce-to-durable latency.
        owner.Metrics.For(p).CountIn(batch.Length, result.LastOffset.Value - result.BaseOffset.Value + 1);
        s.AppendTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_acks == 0)
        {
            ReportDone(shard, slot);
        }
        else
        {
            p.DurableWaiters.Enqueue(new DurableWaiter(this, slot, result.LastOffset.Value, Generation));
        }
    }

    /// <summary>On the owner: the slot's append is acknowledgeable (or can no longer become so).</summary>
    public void OnDurable(Shard shard, int slot, long generation, Storage.AppendStatus status)
    {
        if (generation != Generation)
        {
            return;
        }
        if (status != Storage.AppendStatus.Ok)
        {
            _slots[slot].Error = KafkaErrors.FromAppend(status);
        }
        else
        {
            _broker.ShardState(shard).Metrics.ProduceDurable.Record(Metrics.ShardMetrics.ElapsedNs(_slots[slot].AppendTimestamp));
        }
        ReportDone(shard, slot);
    }

    protected override void OnAllDone(Shard shard)
    {
        RequestContext request = _request;
        _request = null!;
        if (_acks == 0)
        {
            request.RespondNone();
        }
        else
        {
            WriteResponse(request);
        }
        Generation++;
        _broker.ShardState(shard).ProducePool.Return(this);
    }

    private void WriteResponse(RequestContext request)
    {
        var reader = new ProduceRequestReader(request.Body, request.ApiVersion);
        ResponseFrame frame = ResponseFramePool.Rent();
        var writer = new ProduceResponseWriter(frame.GetWriteSpan(reader.MaxResponseSize), request.ApiVersion, request.CorrelationId, reader.TopicCount);
        int slot = 0;
        while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out int count))
        {
            writer.BeginTopic(name, count);
            while (reader.TryReadPartition(out ProducePartitionData data))
            {
                ref Slot s = ref _slots[slot++];
                writer.WritePartition(data.PartitionIndex, s.Error, s.BaseOffset, s.LogAppendTimeMs, s.LogStartOffset);
                s.Partition = null;
            }
            writer.EndTopic();
        }
        frame.Commit(writer.Complete());
        request.Respond(frame);
    }

    /// <summary>LogAppendTime topics: set the timestamp-type bit and maxTimestamp = now, then recompute the CRC (both are covered).</summary>
    private static bool StampLogAppendTime(Span<byte> batch, out long nowMs)
    {
        nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (RecordBatchValidator.Validate(batch, out int size) != BatchValidation.Valid || size != batch.Length)
        {
            return false;
        }
        short attributes = System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchDescriptor.AttributesOffset..]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchDescriptor.AttributesOffset..], (short)(attributes | RecordBatchDescriptor.TimestampTypeMask));
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchDescriptor.MaxTimestampOffset..], nowMs);
        uint crc = Crc32C.Compute(batch[RecordBatchDescriptor.AttributesOffset..]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(batch[RecordBatchDescriptor.CrcOffset..], crc);
        return true;
    }
}
