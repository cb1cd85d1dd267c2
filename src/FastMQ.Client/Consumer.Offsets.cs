using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Client.Consuming;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client;

/// <summary>Commits, committed offsets, positions, seeks, pause/resume and offset resets.</summary>
public sealed partial class Consumer
{
    /// <summary>
    /// Commits, and waits for, the position of every assigned partition: the offset after the last record returned.
    /// Throws <see cref="ConsumerException"/> when the group rejects it (e.g. REBALANCE_IN_PROGRESS after a rebalance).
    /// </summary>
    public void Commit()
    {
        ThrowIfClosed();
        List<TopicPartitionOffset> offsets = CurrentPositions(onlyChanged: false);
        CommitCore(offsets);
    }

    /// <summary>Commits the given offsets (each the next offset to read, i.e. last processed + 1) and waits.</summary>
    public void Commit(IEnumerable<TopicPartitionOffset> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ThrowIfClosed();
        CommitCore([.. offsets]);
    }

    /// <summary>
    /// Commits the current positions without waiting on this thread; the task completes when the coordinator answered
    /// (faulted with <see cref="ConsumerException"/> when it rejected the commit).
    /// </summary>
    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        GroupMembership group = RequireGroup();
        List<TopicPartitionOffset> offsets = CurrentPositions(onlyChanged: false);
        if (offsets.Count == 0)
        {
            return Task.CompletedTask;
        }
        BrokerConnection coordinator;
        try
        {
            coordinator = Wait(group.CoordinatorAsync(cancellationToken));
        }
        catch (ClientException e)
        {
            return Task.FromException(new ConsumerException($"cannot reach the coordinator of group '{group.GroupId}': {e.Message}", e));
        }
        return CommitOnAsync(group, coordinator, offsets, cancellationToken);
    }

    /// <summary>The committed offsets (-1 when none) of <paramref name="partitions"/> for this consumer's group.</summary>
    public IReadOnlyList<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfClosed();
        GroupMembership group = RequireGroup();
        var list = new List<TopicPartition>(partitions);
        using var cts = new CancellationTokenSource(timeout);
        Dictionary<TopicPartition, long> committed;
        try
        {
            committed = Wait(group.FetchCommittedAsync(list, cts.Token));
        }
        catch (ClientException e)
        {
            throw new ConsumerException($"cannot read the committed offsets of group '{group.GroupId}': {e.Message}", e);
        }
        var result = new List<TopicPartitionOffset>(list.Count);
        foreach (TopicPartition tp in list)
        {
            result.Add(new TopicPartitionOffset(tp.Topic, tp.Partition, committed.TryGetValue(tp, out long o) ? o : -1));
        }
        return result;
    }

    /// <summary>The offset of the next record <c>Consume</c> returns for an assigned partition; -1 before it is known.</summary>
    public long Position(TopicPartition partition) => Require(partition).Position;

    /// <summary>
    /// Makes the next record of the partition the one at <paramref name="offset"/> (or <see cref="OffsetBeginning"/> /
    /// <see cref="OffsetEnd"/>); records already fetched after it are dropped.
    /// </summary>
    public void Seek(TopicPartitionOffset offset)
    {
        ThrowIfClosed();
        ValidateStartOffset(offset.Offset);
        PartitionState p = Require(offset.TopicPartition);
        if (offset.Offset == OffsetStored)
        {
            PositionFromCommitted([p]);
            return;
        }
        SeekCore(p, offset.Offset);
    }

    /// <summary>Stops fetching these partitions (they stay assigned); buffered records of them are dropped.</summary>
    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfClosed();
        foreach (TopicPartition tp in partitions)
        {
            PartitionState p = Require(tp);
            lock (_hub.Sync)
            {
                p.Paused = true;
                p.Epoch++;
                if (p.Position >= 0)
                {
                    p.FetchOffset = p.Position; // resume where the application is, not where prefetch was
                }
            }
            _cursor.Abandon(p);
        }
    }

    /// <summary>Fetches paused partitions again, from their positions.</summary>
    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfClosed();
        lock (_hub.Sync)
        {
            foreach (TopicPartition tp in partitions)
            {
                Require(tp).Paused = false;
            }
            Monitor.PulseAll(_hub.Sync);
        }
    }

    /// <summary>The assigned partitions that are paused, sorted.</summary>
    public IReadOnlyList<TopicPartition> Paused()
    {
        var list = new List<TopicPartition>();
        lock (_hub.Sync)
        {
            foreach (PartitionState p in _assigned.Values)
            {
                if (p.Paused)
                {
                    list.Add(p.Id);
                }
            }
        }
        list.Sort();
        return list;
    }

    private void SeekCore(PartitionState p, long offset)
    {
        if (offset is OffsetBeginning or OffsetEnd)
        {
            offset = ListOffset(p, offset == OffsetBeginning ? ListOffsetsRequest.EarliestTimestamp : ListOffsetsRequest.LatestTimestamp);
        }
        lock (_hub.Sync)
        {
            p.Epoch++;
            p.FetchOffset = offset; // a paused partition keeps it for Resume (fetchers skip paused partitions)
            p.NeedsReset = false;
            Monitor.PulseAll(_hub.Sync);
        }
        p.Position = offset;
        _cursor.Abandon(p);
    }

    private long ListOffset(PartitionState p, long timestamp)
    {
        try
        {
            MetadataResponse.Topic topic = Wait(_cluster.GetTopicAsync(p.Id.Topic, CancellationToken.None));
            Dictionary<int, ListOffsetsResponse.Partition> result =
                Wait(_cluster.ListOffsetsAsync(topic, [p.Id.Partition], timestamp, CancellationToken.None));
            ListOffsetsResponse.Partition r = result[p.Id.Partition];
            if (r.ErrorCode != ErrorCode.None)
            {
                throw new ConsumerException($"cannot look up an offset of {p.Id}: {KafkaErrorNames.Of(r.ErrorCode)}",
                    KafkaErrorNames.Of(r.ErrorCode));
            }
            return r.Offset;
        }
        catch (ClientException e)
        {
            throw new ConsumerException($"cannot look up an offset of {p.Id}: {e.Message}", e);
        }
    }

    /// <summary>Partitions that got OFFSET_OUT_OF_RANGE restart per auto.offset.reset (or the error is thrown).</summary>
    private void ResetOutOfRange()
    {
        var due = new List<PartitionState>();
        lock (_hub.Sync)
        {
            _hub.ResetNeeded = false;
            foreach (PartitionState p in _assigned.Values)
            {
                if (p.NeedsReset)
                {
                    due.Add(p);
                }
            }
        }
        if (due.Count > 0)
        {
            ApplyResetPolicy(due, "is out of range");
        }
    }

    private void ApplyResetPolicy(List<PartitionState> partitions, string why)
    {
        if (_config.AutoOffsetReset == AutoOffsetReset.None)
        {
            lock (_hub.Sync)
            {
                foreach (PartitionState p in partitions)
                {
                    p.NeedsReset = true;
                }
                _hub.ResetNeeded = true; // keeps failing until the application seeks, as Kafka's consumer does
            }
            PartitionState first = partitions[0];
            throw new ConsumerException(
                $"{first.Id} {why} (offset {first.FetchOffset}) and auto.offset.reset is none: Seek to a valid offset",
                "OFFSET_OUT_OF_RANGE");
        }
        long target = _config.AutoOffsetReset == AutoOffsetReset.Earliest ? OffsetBeginning : OffsetEnd;
        foreach (PartitionState p in partitions)
        {
            SeekCore(p, target);
        }
    }

    private void TryAutoCommitIfEnabled()
    {
        if (_config.EnableAutoCommit && _group is not null)
        {
            TryAutoCommit();
        }
    }

    /// <summary>Commits changed positions; failures are ignored (the next commit or a re-delivery covers them).</summary>
    private void TryAutoCommit()
    {
        List<TopicPartitionOffset> offsets = CurrentPositions(onlyChanged: true);
        if (offsets.Count == 0)
        {
            return;
        }
        try
        {
            CommitCore(offsets);
        }
        catch (ConsumerException)
        {
            // Rebalancing or coordinator moved: the member rejoins; records after the last commit are re-delivered.
        }
    }

    private void CommitCore(List<TopicPartitionOffset> offsets)
    {
        GroupMembership group = RequireGroup();
        try
        {
            Wait(group.CommitAsync(offsets, CancellationToken.None));
        }
        catch (ClientException e)
        {
            throw new ConsumerException($"commit for group '{group.GroupId}' failed: {e.Message}", e);
        }
        foreach (TopicPartitionOffset o in offsets)
        {
            if (_assigned.TryGetValue(o.TopicPartition, out PartitionState? p))
            {
                p.Committed = o.Offset;
            }
        }
    }

    private static async Task CommitOnAsync(GroupMembership group, BrokerConnection coordinator,
        List<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        try
        {
            await group.CommitOnAsync(coordinator, offsets, cancellationToken).ConfigureAwait(false);
        }
        catch (ClientException e)
        {
            throw new ConsumerException($"commit for group '{group.GroupId}' failed: {e.Message}", e);
        }
    }

    private List<TopicPartitionOffset> CurrentPositions(bool onlyChanged)
    {
        var list = new List<TopicPartitionOffset>(_assigned.Count);
        foreach (PartitionState p in _assigned.Values)
        {
            if (p.Position >= 0 && (!onlyChanged || p.Position != p.Committed))
            {
                list.Add(new TopicPartitionOffset(p.Id.Topic, p.Id.Partition, p.Position));
            }
        }
        return list;
    }

    private GroupMembership RequireGroup() =>
        _group ?? throw new InvalidOperationException("commits need a group: set ConsumerConfig.GroupId (group.id)");

    private PartitionState Require(TopicPartition partition) =>
        _assigned.TryGetValue(partition, out PartitionState? p)
            ? p
            : throw new ArgumentException($"{partition} is not assigned to this consumer", nameof(partition));

    private static void ValidateStartOffset(long offset)
    {
        if (offset < 0 && offset is not (OffsetBeginning or OffsetEnd or OffsetStored))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset,
                "an offset is >= 0, or Consumer.OffsetBeginning, OffsetEnd or OffsetStored");
        }
    }
}
