using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using FastMQ.Broker.Partitions;
using FastMQ.Core;
using FastMQ.Protocol.Records;
using FastMQ.Runtime;
using FastMQ.Storage;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker.Groups;

/// <summary>
/// One partition of __consumer_offsets seen by the coordinator: appends commit and tombstone records and reports when
/// they are acknowledgeable under the topic's flush policy (the same <see cref="DurableWaiter"/> path as produce
/// requests), replays the partition at start-up, and tracks how many records the log holds for compaction.
/// </summary>
/// <remarks>Owner shard only (which is also the shard of every group stored in this partition).</remarks>
internal sealed class OffsetsLog : IDurableWaiter, IDisposable
{
    // Snapshot batches stay well under message.max.bytes (1 MiB by default).
    private const int MaxBatchRecords = 2000;

    private readonly BrokerContext _broker;
    private readonly RecordBatchBuilder _builder = new();
    private readonly Dictionary<long, Action<AppendStatus>> _waiting = [];
    private byte[] _scratch = new byte[64 * 1024];
    private long _nextWaitId;

    public OffsetsLog(BrokerContext broker, Partition partition)
    {
        _broker = broker;
        Partition = partition;
    }

    public Partition Partition { get; }

    public int Index => Partition.Index;

    /// <summary>Records between the log start and the log end (compaction compares it with the live key count).</summary>
    public long RecordsInLog { get; set; }

    /// <summary>A compaction snapshot is being written; no second one starts.</summary>
    public bool SnapshotInFlight { get; set; }

    /// <summary>
    /// Appends one batch holding <paramref name="records"/> (null value = tombstone); <paramref name="done"/> runs on
    /// this shard once the batch is acknowledgeable, or at once (possibly before this returns) if it cannot be.
    /// </summary>
    public void Append(List<KeyValuePair<byte[], byte[]?>> records, long timestampMs, Action<AppendStatus> done)
    {
        if (records.Count == 0)
        {
            done(AppendStatus.Ok);
            return;
        }
        if (Partition.IsDeleted || Partition.Log.IsClosed)
        {
            done(AppendStatus.Closed);
            return;
        }
        _builder.Reset(new RecordBatchOptions());
        foreach (KeyValuePair<byte[], byte[]?> r in records)
        {
            _builder.Append(timestampMs, r.Key, r.Value);
        }
        int size = _builder.Seal();
        if (_scratch.Length < size)
        {
            _scratch = new byte[Math.Max(size, _scratch.Length * 2)];
        }
        _builder.TryWriteTo(_scratch, out int written);
        AppendStatus status = Partition.Log.TryAppend(_scratch.AsSpan(0, written), Partition.LeaderEpoch, out AppendResult result);
        if (status != AppendStatus.Ok)
        {
            done(status);
            return;
        }
        RecordsInLog += records.Count;
        long id = ++_nextWaitId;
        _waiting[id] = done;
        Partition.DurableWaiters.Enqueue(new DurableWaiter(this, 0, result.LastOffset.Value, id));
        _broker.ShardStates[Partition.Owner.Value].MarkActive(Partition);
    }

    /// <summary>Appends many records as consecutive batches; <paramref name="done"/> runs once after the last one.</summary>
    public void AppendMany(List<KeyValuePair<byte[], byte[]?>> records, long timestampMs, Action<AppendStatus> done)
    {
        if (records.Count <= MaxBatchRecords)
        {
            Append(records, timestampMs, done);
            return;
        }
        int batches = (records.Count + MaxBatchRecords - 1) / MaxBatchRecords;
        int remaining = batches;
        AppendStatus worst = AppendStatus.Ok;
        for (int b = 0; b < batches; b++)
        {
            List<KeyValuePair<byte[], byte[]?>> chunk = records.GetRange(b * MaxBatchRecords, Math.Min(MaxBatchRecords, records.Count - (b * MaxBatchRecords)));
            Append(chunk, timestampMs, status =>
            {
                if (status != AppendStatus.Ok)
                {
                    worst = status;
                }
                if (--remaining == 0)
                {
                    done(worst);
                }
            });
        }
    }

    public void Dispose() => _builder.Dispose();

    public void OnDurable(Shard shard, int slot, long generation, AppendStatus status)
    {
        if (_waiting.Remove(generation, out Action<AppendStatus>? done))
        {
            done(status);
        }
    }

    /// <summary>
    /// Reads every record from the log start to the log end and hands each one, in log order, to
    /// <paramref name="applyOffset"/> (offset commits; null value = tombstone) or <paramref name="applyGroup"/> (group
    /// metadata, decoded and raw value bytes; null = tombstone). Returns the number of records applied. A record this
    /// build cannot read (unknown version, malformed) is logged as an error with its offset and skipped; the rest of
    /// the partition still loads. Start-up only (allocates, blocks on reads).
    /// </summary>
    public long Replay(Action<string, OffsetKey, CommittedOffset?> applyOffset, Action<string, GroupMetadataRecord?, byte[]?> applyGroup)
    {
        PartitionLog log = Partition.Log;
        Offset position = log.LogStartOffset;
        byte[] buffer = new byte[1 << 20];
        long count = 0;
        while (position < log.LogEndOffset)
        {
            if (log.TryRead(position, 1 << 20, log.LogEndOffset, out LogSlice slice) != LogReadStatus.Ok)
            {
                break;
            }
            if (buffer.Length < slice.Length)
            {
                buffer = new byte[slice.Length];
            }
            int length = slice.CopyTo(buffer);
            Offset next = slice.NextOffset;
            count += ApplyBatches(buffer.AsSpan(0, length), position.Value, applyOffset, applyGroup);
            if (next <= position)
            {
                break;
            }
            position = next;
        }
        RecordsInLog = count;
        return count;
    }

    private long ApplyBatches(ReadOnlySpan<byte> batches, long fromOffset, Action<string, OffsetKey, CommittedOffset?> applyOffset,
        Action<string, GroupMetadataRecord?, byte[]?> applyGroup)
    {
        long count = 0;
        while (batches.Length >= RecordBatchDescriptor.HeaderSize)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(batches[RecordBatchDescriptor.BatchLengthOffset..]) + RecordBatchDescriptor.LogOverhead;
            if (size < RecordBatchDescriptor.HeaderSize || size > batches.Length)
            {
                throw new InvalidDataException($"{Partition}: batch of {size} bytes in a {batches.Length}-byte read");
            }
            try
            {
                var reader = new RecordBatchReader(batches[..size]);
                while (reader.TryReadNext(out Record record))
                {
                    long offset = reader.OffsetOf(record);
                    if (offset < fromOffset || record.IsKeyNull)
                    {
                        continue;
                    }
                    if (ApplyRecord(record, offset, applyOffset, applyGroup))
                    {
                        count++;
                    }
                }
            }
            catch (Exception e) when (e is CorruptRecordException or InvalidOperationException)
            {
                // Only the coordinator writes here (uncompressed, our layout); anything else is skipped, not fatal.
                _broker.Logger.LogWarning("{Partition}: skipping an unreadable batch at offset {Offset}: {Message}",
                    Partition, new RecordBatchHeader(batches).BaseOffset, e.Message);
            }
            batches = batches[size..];
        }
        return count;
    }

    private bool ApplyRecord(in Record record, long offset, Action<string, OffsetKey, CommittedOffset?> applyOffset,
        Action<string, GroupMetadataRecord?, byte[]?> applyGroup)
    {
        try
        {
            switch (OffsetRecordCodec.DecodeKey(record.Key, out string group, out OffsetKey key))
            {
                case OffsetRecordKind.OffsetCommit:
                    applyOffset(group, key, record.IsValueNull ? null : OffsetRecordCodec.DecodeValue(record.Value));
                    return true;
                default:
                    if (record.IsValueNull)
                    {
                        applyGroup(group, null, null);
                    }
                    else
                    {
                        applyGroup(group, OffsetRecordCodec.DecodeGroupValue(record.Value), record.Value.ToArray());
                    }
                    return true;
            }
        }
        catch (InvalidDataException e)
        {
            // A record written by a newer FastMQ (or damaged): loud, but the other groups of the partition still load.
            _broker.Logger.LogError("{Partition}: cannot read the record at offset {Offset}, skipped: {Message}", Partition, offset, e.Message);
            return false;
        }
    }
}
