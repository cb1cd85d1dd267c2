using System;
using System.Buffers;
using FastMQ.Broker.Partitions;
using FastMQ.Broker.Requests;
using FastMQ.Core;
using FastMQ.Interop;
using FastMQ.Network;
using FastMQ.Protocol.Messages;
using FastMQ.Runtime;
using FastMQ.Storage;

namespace FastMQ.Broker.Handlers;

/// <summary>
/// Fetch (1), versions 4–12. Each partition is read on its owner shard without decoding: file ranges go out with
/// sendfile (page cache), tail-cache bytes are copied once into the response. A fetch with fewer than MinBytes parks
/// until an append moves a high watermark it watches, or MaxWaitMs passes (long polling). MaxBytes and
/// PartitionMaxBytes are soft as in KIP-74: the first non-empty partition always returns at least one whole batch.
/// </summary>
internal static class FetchHandler
{
    public static void Handle(BrokerContext broker, Shard shard, RequestContext ctx)
    {
        FetchContext fetch = broker.ShardState(shard).FetchPool.Rent();
        fetch.Start(broker, shard, ctx);
    }
}

/// <summary>One fetch request in flight; see <see cref="FetchHandler"/>. Same threading rules as <see cref="ProduceContext"/>.</summary>
internal sealed class FetchContext : PartitionFanout, IFetchWaker, IShardTimerCallback
{
    private const int KindWake = 3;

    // A parked fetch holds its request frame, and with it its connection's receive buffer, until it answers; MaxWaitMs
    // may be up to 24 days. Waking this often to see whether the connection has gone bounds what abandoned long polls
    // can pin (a client closing many connections with parked fetches would otherwise grow memory without limit).
    private const long ClosedCheckIntervalMs = 1000;

    private Slot[] _slots = new Slot[8];
    private BrokerContext _broker = null!;
    private RequestContext _request = null!;
    private int _slotCount;
    private long _serial;
    private int _minBytes;
    private int _maxBytes;
    private bool _waiting;
    private bool _timedOut;
    private bool _mayPark;
    private TimerHandle _timer;
    private long _deadlineMs;

    private struct Slot
    {
        public Partition? Partition;
        public long FetchOffset;
        public int PartitionMaxBytes;
        public ErrorCode Error;
        public long HighWatermark;
        public long LogStartOffset;
        public NativeFile? File;
        public long FilePosition;
        public int Length;
        public byte[]? Copy;
        public long RecordsRead;
    }

    public void Start(BrokerContext broker, Shard shard, RequestContext request)
    {
        _broker = broker;
        _request = request;
        Origin = shard.Id;
        Generation++;
        _serial++;
        _waiting = false;
        _timedOut = false;
        _timer = default;
        var reader = new FetchRequestReader(request.Body, request.ApiVersion);
        _minBytes = reader.MinBytes;
        _maxBytes = reader.MaxBytes <= 0 ? int.MaxValue : reader.MaxBytes;
        _mayPark = reader.MaxWaitMs > 0 && reader.MinBytes > 0;
        _slotCount = reader.PartitionCount;
        if (_slots.Length < _slotCount)
        {
            _slots = new Slot[Math.Max(_slotCount, _slots.Length * 2)];
        }
        PartitionRegistry registry = broker.Partitions;
        int slot = 0;
        while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out _))
        {
            bool known = registry.TryGetTopicUtf8(name, out Partition[] partitions);
            while (reader.TryReadPartition(out FetchPartitionRequest part))
            {
                ref Slot s = ref _slots[slot++];
                s = default;
                s.FetchOffset = part.FetchOffset;
                s.PartitionMaxBytes = part.PartitionMaxBytes;
                s.HighWatermark = -1;
                s.LogStartOffset = -1;
                if (!known || (uint)part.Partition >= (uint)partitions.Length)
                {
                    s.Error = ErrorCode.UnknownTopicOrPartition;
                }
                else
                {
                    s.Partition = partitions[part.Partition];
                }
            }
        }
        if (_mayPark)
        {
            _deadlineMs = shard.NowMs + reader.MaxWaitMs;
            _timer = shard.Timers.Schedule(Math.Min(_deadlineMs, shard.NowMs + ClosedCheckIntervalMs), this, null, _serial);
        }
        RunAll(shard);
    }

    protected override int SlotCount => _slotCount;

    protected override Partition? SlotPartition(int slot) => _slots[slot].Partition;

    protected override void RunOnOwner(Shard shard, int slot) => Read(shard, slot);

    protected override void OnMessage(Shard shard, in ShardMessage message)
    {
        if (message.Kind == KindWake)
        {
            OnWake(shard);
        }
    }

    /// <summary>On the partition's owner: read without decoding; watch the partition if there is nothing yet.</summary>
    private void Read(Shard shard, int slot)
    {
        ref Slot s = ref _slots[slot];
        Partition p = s.Partition!;
        ReleaseData(ref s);
        s.Error = ErrorCode.None;
        if (p.IsDeleted)
        {
            s.Error = ErrorCode.UnknownTopicOrPartition;
        }
        else
        {
            PartitionLog log = p.Log;
            s.HighWatermark = log.HighWatermark.Value;
            s.LogStartOffset = log.LogStartOffset.Value;
            int limit = s.PartitionMaxBytes <= 0 ? 1 : s.PartitionMaxBytes;
            LogReadStatus status = log.TryRead(new Offset(s.FetchOffset), limit, log.HighWatermark, out LogSlice slice);
            if (status == LogReadStatus.OffsetOutOfRange)
            {
                s.Error = ErrorCode.OffsetOutOfRange;
            }
            else if (status == LogReadStatus.Closed)
            {
                // Shutting down (or deleted meanwhile): a retriable error, as Kafka answers while a leader goes away.
                s.Error = ErrorCode.NotLeaderOrFollower;
            }
            else if (status == LogReadStatus.Ok)
            {
                s.Length = slice.Length;
                // Records at or after the fetch offset (clients skip the earlier records of the first batch).
                s.RecordsRead = slice.NextOffset.Value - Math.Max(s.FetchOffset, slice.FirstBatchBaseOffset.Value);
                if (slice.IsMemory)
                {
                    // Tail-cache bytes may be overwritten by later appends: copy them now, on the owner.
                    s.Copy = ArrayPool<byte>.Shared.Rent(slice.Length);
                    slice.Memory.CopyTo(s.Copy);
                }
                else
                {
                    s.File = slice.File;
                    s.FilePosition = slice.FilePosition;
                }
            }
            else if (_mayPark && !_timedOut)
            {
                p.Watch(this, Generation, Origin);
            }
        }
        ReportDone(shard, slot);
    }

    /// <summary>On an owner shard whose partition got new data: tell the fetch's shard.</summary>
    public void Wake(Shard ownerShard, ShardId origin, long generation)
    {
        if (ownerShard.Id == origin)
        {
            if (generation == Generation)
            {
                OnWake(ownerShard);
            }
            return;
        }
        ownerShard.Post(origin, new ShardMessage(this, KindWake, origin, 0, generation));
    }

    public void OnTimer(TimerHandle handle, object? state, long arg, long nowMs)
    {
        if (arg != _serial || _request is null)
        {
            return;
        }
        _timer = default;
        if (nowMs < _deadlineMs && !_request.Connection.IsClosed)
        {
            _timer = Shard.Current!.Timers.Schedule(Math.Min(_deadlineMs, nowMs + ClosedCheckIntervalMs), this, null, _serial);
            return;
        }
        // Expired, or nobody is left to answer: finish now (a closed connection drops the response).
        _timedOut = true;
        if (_waiting)
        {
            _waiting = false;
            Finish(Shard.Current!);
        }
    }

    private void OnWake(Shard shard)
    {
        if (!_waiting)
        {
            return;
        }
        _waiting = false;
        Generation++;
        RunAll(shard);
    }

    protected override void OnAllDone(Shard shard)
    {
        long total = 0;
        bool error = false;
        for (int i = 0; i < _slotCount; i++)
        {
            total += _slots[i].Length;
            error |= _slots[i].Error != ErrorCode.None;
        }
        if (total >= _minBytes || error || _timedOut || !_mayPark)
        {
            Finish(shard);
            return;
        }
        _waiting = true;
    }

    private void Finish(Shard shard)
    {
        if (!_timer.IsNone)
        {
            shard.Timers.Cancel(_timer);
            _timer = default;
        }
        RequestContext request = _request;
        _request = null!;
        WriteResponse(request);
        Generation++;
        _broker.ShardState(shard).FetchPool.Return(this);
    }

    private void WriteResponse(RequestContext request)
    {
        var reader = new FetchRequestReader(request.Body, request.ApiVersion);
        long copied = 0;
        for (int i = 0; i < _slotCount; i++)
        {
            if (_slots[i].Copy is not null)
            {
                copied += _slots[i].Length;
            }
        }
        ResponseFrame frame = ResponseFramePool.Rent();
        Span<byte> buffer = frame.GetWriteSpan((int)Math.Min(int.MaxValue, reader.MaxResponseOverhead + copied));
        var writer = new FetchResponseWriter(buffer, request.ApiVersion, request.CorrelationId, reader.TopicCount);
        long budget = _maxBytes;
        bool anyData = false;
        Metrics.ShardMetrics metrics = _broker.ShardStates[Origin.Value].Metrics;
        int slot = 0;
        while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out int count))
        {
            writer.BeginTopic(name, count);
            while (reader.TryReadPartition(out FetchPartitionRequest part))
            {
                ref Slot s = ref _slots[slot++];
                int length = s.Length;
                if (anyData && length > budget)
                {
                    // Over MaxBytes after the first non-empty partition: cut (a partial last batch is ignored by clients).
                    length = (int)Math.Max(0, budget);
                }
                var header = new FetchPartitionHeader(part.Partition, s.Error, s.HighWatermark, s.HighWatermark, s.LogStartOffset);
                writer.BeginPartition(header, length);
                if (length > 0)
                {
                    if (s.Copy is not null)
                    {
                        writer.WriteRecords(s.Copy.AsSpan(0, length));
                    }
                    else
                    {
                        frame.AddFilePart(writer.MarkRecordsExternal(), s.File!.Fd, s.FilePosition, length);
                    }
                    anyData = true;
                    budget -= length;
                    // Metrics on this (the request's) shard; a partition cut by MaxBytes counts its bytes but not its
                    // records, which would need decoding the partial batch to know.
                    metrics.For(s.Partition!).CountOut(length, length == s.Length ? s.RecordsRead : 0);
                }
                writer.EndPartition();
                ReleaseData(ref s);
                s.Partition = null;
            }
            writer.EndTopic();
        }
        writer.Complete();
        frame.Commit(writer.Position);
        request.Respond(frame);
    }

    private static void ReleaseData(ref Slot s)
    {
        if (s.Copy is not null)
        {
            ArrayPool<byte>.Shared.Return(s.Copy);
            s.Copy = null;
        }
        s.File = null;
        s.Length = 0;
        s.RecordsRead = 0;
    }
}
