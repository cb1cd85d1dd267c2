using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Client.Assignors;
using FastMQ.Client.Consuming;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client;

/// <summary>Rebalances and the routing of assigned partitions to per-broker fetchers.</summary>
public sealed partial class Consumer
{
    /// <summary>
    /// Rejoins the group and applies the new assignment, without blocking Consume beyond its timeout: the
    /// JoinGroup/SyncGroup exchange (which the coordinator holds until every member rejoined) runs as a task, and each
    /// Consume call checks whether it finished. Eager: revoke everything first (committing when auto-commit is on).
    /// Cooperative: keep reading what is owned during the rebalance, revoke only what the leader took away, then
    /// rejoin at once so it can be reassigned (KIP-429). Lost partitions (removed from the group) are reported as
    /// lost, never committed.
    /// </summary>
    private void Rebalance()
    {
        GroupMembership group = _group!;
        if (group.Fatal is { } fatal)
        {
            throw new ConsumerException(fatal.Message, fatal);
        }
        if (_join is null)
        {
            if (Stopwatch.GetTimestamp() < _joinRetryTicks)
            {
                return;
            }
            StartJoin(group);
            return;
        }
        if (!_join.IsCompleted)
        {
            return;
        }
        Task<List<TopicPartition>> join = _join;
        _join = null;
        List<TopicPartition> assignment;
        try
        {
            assignment = join.GetAwaiter().GetResult();
        }
        catch (ClientException)
        {
            // Coordinator unreachable or moved: join again shortly.
            _joinRetryTicks = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 5);
            return;
        }
        ApplyAssignment(group, assignment);
    }

    private void StartJoin(GroupMembership group)
    {
        var owned = new List<TopicPartition>(_assigned.Keys);
        owned.Sort();
        if (group.Lost && owned.Count > 0)
        {
            PartitionsLost?.Invoke(this, owned);
            RemovePartitions(owned);
            owned = [];
        }
        else if (group.Protocol == RebalanceProtocol.Eager && owned.Count > 0)
        {
            TryAutoCommitIfEnabled();
            PartitionsRevoked?.Invoke(this, owned);
            RemovePartitions(owned);
            owned = [];
        }
        else if (owned.Count > 0)
        {
            TryAutoCommitIfEnabled();
        }
        _joinOwned = owned;
        List<string> topics = _subscription!;
        Task<List<TopicPartition>> join = Task.Run(() => group.JoinAsync(topics, owned, CancellationToken.None));
        // Wake Consume as soon as the rebalance finishes (allocation here is per rebalance, not per record).
        join.ContinueWith(static (_, hub) => ((FetchHub)hub!).Wake(), _hub, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _join = join;
    }

    private void ApplyAssignment(GroupMembership group, List<TopicPartition> assignment)
    {
        // The leader assigned from metadata it just read: the next periodic refresh is one max age away.
        _nextMetadataRefreshTicks = Stopwatch.GetTimestamp() + _metadataMaxAgeTicks;
        var assignedSet = new HashSet<TopicPartition>(assignment);
        var revoked = new List<TopicPartition>();
        foreach (TopicPartition tp in _joinOwned)
        {
            if (!assignedSet.Contains(tp) && _assigned.ContainsKey(tp))
            {
                revoked.Add(tp);
            }
        }
        if (revoked.Count > 0)
        {
            PartitionsRevoked?.Invoke(this, revoked);
            RemovePartitions(revoked);
            group.RequestRejoin(); // the revoked partitions go to their new owner in the next rebalance
        }
        var added = new List<TopicPartition>();
        foreach (TopicPartition tp in assignment)
        {
            if (!_assigned.ContainsKey(tp))
            {
                added.Add(tp);
            }
        }
        AddPartitions(added);
        PartitionsAssigned?.Invoke(this, added);
        StartPartitions();
    }

    /// <summary>Before leaving (close, unsubscribe): commit if auto-commit is on, report every partition revoked, stop reading.</summary>
    private void RevokeAllForLeave()
    {
        var owned = new List<TopicPartition>(_assigned.Keys);
        owned.Sort();
        if (owned.Count == 0)
        {
            return;
        }
        TryAutoCommitIfEnabled();
        PartitionsRevoked?.Invoke(this, owned);
        RemovePartitions(owned);
    }

    private void AddPartitions(List<TopicPartition> partitions)
    {
        foreach (TopicPartition tp in partitions)
        {
            _assigned[tp] = new PartitionState(tp);
        }
    }

    private void RemovePartitions(List<TopicPartition> partitions)
    {
        lock (_hub.Sync)
        {
            foreach (TopicPartition tp in partitions)
            {
                if (!_assigned.Remove(tp, out PartitionState? p))
                {
                    continue;
                }
                p.Revoked = true;
                p.Epoch++;
                if (_fetchers.TryGetValue(p.Leader, out Fetcher? f))
                {
                    f.RemoveLocked(p);
                }
                _cursor.Abandon(p);
            }
        }
    }

    /// <summary>
    /// Gives every assigned partition without a position its start (committed offset, else the reset policy) and
    /// hands partitions not yet routed to the fetcher of their leader.
    /// </summary>
    private void StartPartitions()
    {
        var unpositioned = new List<PartitionState>();
        var unrouted = new List<PartitionState>();
        foreach (PartitionState p in _assigned.Values)
        {
            if (p.Position < 0)
            {
                unpositioned.Add(p);
            }
            if (p.Leader < 0)
            {
                unrouted.Add(p);
            }
        }
        if (unpositioned.Count > 0)
        {
            PositionFromCommitted(unpositioned);
        }
        if (unrouted.Count > 0)
        {
            RouteToLeaders(unrouted);
        }
    }

    private void PositionFromCommitted(List<PartitionState> partitions)
    {
        var toReset = new List<PartitionState>();
        if (_group is not null)
        {
            var ids = new List<TopicPartition>(partitions.Count);
            foreach (PartitionState p in partitions)
            {
                ids.Add(p.Id);
            }
            Dictionary<TopicPartition, long> committed = Wait(_group.FetchCommittedAsync(ids, CancellationToken.None));
            foreach (PartitionState p in partitions)
            {
                if (committed.TryGetValue(p.Id, out long offset) && offset >= 0)
                {
                    p.Committed = offset;
                    SeekCore(p, offset);
                }
                else
                {
                    toReset.Add(p);
                }
            }
        }
        else
        {
            toReset.AddRange(partitions);
        }
        if (toReset.Count > 0)
        {
            ApplyResetPolicy(toReset, "has no committed offset");
        }
    }

    /// <summary>Moves each partition to the fetcher of its current leader (creating fetchers as needed).</summary>
    private void RouteToLeaders(List<PartitionState> partitions)
    {
        if (partitions.Count == 0)
        {
            return;
        }
        var topics = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (PartitionState p in partitions)
        {
            topics.Add(p.Id.Topic);
        }
        MetadataResponse metadata;
        try
        {
            metadata = Wait(_cluster.GetMetadataAsync([.. topics], CancellationToken.None));
        }
        catch (ClientException)
        {
            _hub.MetadataStale = true; // retried on the next Consume
            return;
        }
        ApplyRoutes(partitions, metadata);
    }

    /// <summary>Moves each partition to the fetcher of its leader in <paramref name="metadata"/>; marks metadata stale for partitions without one.</summary>
    private void ApplyRoutes(List<PartitionState> partitions, MetadataResponse metadata)
    {
        var brokers = new Dictionary<int, BrokerEndpoint>();
        foreach (MetadataResponse.Broker b in metadata.Brokers)
        {
            brokers[b.NodeId] = new BrokerEndpoint(b.Host, b.Port);
        }
        var leaders = new Dictionary<TopicPartition, int>();
        foreach (MetadataResponse.Topic t in metadata.Topics)
        {
            foreach (MetadataResponse.Partition mp in t.Partitions)
            {
                leaders[new TopicPartition(t.Name ?? "", mp.PartitionIndex)] = mp.LeaderId;
            }
        }
        lock (_hub.Sync)
        {
            foreach (PartitionState p in partitions)
            {
                if (p.Revoked)
                {
                    continue;
                }
                if (!leaders.TryGetValue(p.Id, out int leader) || leader < 0 || !brokers.TryGetValue(leader, out BrokerEndpoint endpoint))
                {
                    _hub.MetadataStale = true; // topic being created or leader moving: look again later
                    continue;
                }
                if (p.Leader == leader)
                {
                    continue;
                }
                if (_fetchers.TryGetValue(p.Leader, out Fetcher? old))
                {
                    old.RemoveLocked(p);
                    // Data in flight from the old leader is void; fetch again from what the application has read.
                    p.Epoch++;
                    if (p.Position >= 0)
                    {
                        p.FetchOffset = p.Position;
                    }
                    _cursor.Abandon(p);
                }
                if (!_fetchers.TryGetValue(leader, out Fetcher? fetcher) || fetcher.Endpoint != endpoint)
                {
                    fetcher?.Dispose();
                    fetcher = new Fetcher(_hub, _options, _fetchSettings, leader, endpoint);
                    _fetchers[leader] = fetcher;
                }
                p.Leader = leader;
                fetcher.AddLocked(p);
            }
        }
    }
}
