using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Client.Consuming;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client;

/// <summary>The periodic metadata refresh of the subscribed topics (<c>metadata.max.age.ms</c>).</summary>
public sealed partial class Consumer
{
    /// <summary>After stale-metadata fetch errors: check the partition counts this soon (Kafka's retry.backoff.ms).</summary>
    private static readonly long StaleRefreshDelayTicks = Stopwatch.Frequency / 10;

    /// <summary>After a failed refresh (broker unreachable): try again this soon, or at the max age if that is sooner.</summary>
    private static readonly long FailedRefreshDelayTicks = Stopwatch.Frequency;

    /// <summary>
    /// One read of the clock (or of a task's state) per Consume iteration: the refresh is due, or the one in flight
    /// finished.
    /// </summary>
    private bool MetadataRefreshDue() =>
        _metadataRefresh is null ? Stopwatch.GetTimestamp() >= _nextMetadataRefreshTicks : _metadataRefresh.IsCompleted;

    /// <summary>Brings the next refresh forward to at most <see cref="StaleRefreshDelayTicks"/> from now.</summary>
    private void RefreshMetadataSoon() =>
        _nextMetadataRefreshTicks = Math.Min(_nextMetadataRefreshTicks, Stopwatch.GetTimestamp() + StaleRefreshDelayTicks);

    /// <summary>
    /// Starts a refresh when one is due, or acts on the one that finished: when this member leads the group and a
    /// subscribed topic's partition count changed since it assigned, it rejoins (eager: revoking everything first;
    /// cooperative: keeping what it owns), the other members follow on their next heartbeat, and the new assignment
    /// covers the new partitions. Every member also moves partitions whose leader changed.
    /// </summary>
    /// <remarks>
    /// The Metadata request runs as a task on the group's cluster client, so Consume never waits for it; the work
    /// here (and its allocations) happens once per <c>metadata.max.age.ms</c>, never per record.
    /// </remarks>
    private void ServiceMetadataRefresh()
    {
        GroupMembership group = _group!;
        long now = Stopwatch.GetTimestamp();
        if (_metadataRefresh is null)
        {
            if (_join is not null || !group.IsStable || group.NeedsRejoin)
            {
                // A rebalance is under way: its leader reads fresh metadata to assign.
                _nextMetadataRefreshTicks = now + _metadataMaxAgeTicks;
                return;
            }
            StartMetadataRefresh(group);
            return;
        }
        Task<MetadataResponse> refresh = _metadataRefresh;
        MetadataSnapshot? snapshot = _metadataRefreshSnapshot;
        _metadataRefresh = null;
        _metadataRefreshSnapshot = null;
        _nextMetadataRefreshTicks = now + _metadataMaxAgeTicks;
        MetadataResponse metadata;
        try
        {
            metadata = refresh.GetAwaiter().GetResult();
        }
        catch (ClientException)
        {
            _nextMetadataRefreshTicks = now + Math.Min(_metadataMaxAgeTicks, FailedRefreshDelayTicks);
            return;
        }
        // Judged only against the snapshot of the generation that is still current: a rebalance since the request
        // was sent assigned from newer metadata than this response may hold.
        if (snapshot is not null && ReferenceEquals(snapshot, group.LeaderSnapshot) && _join is null && group.IsStable
            && snapshot.FindChange(metadata) is string change)
        {
            group.RequestRejoin("metadata changed: " + change);
        }
        if (_assigned.Count > 0)
        {
            ApplyRoutes(new List<PartitionState>(_assigned.Values), metadata);
        }
    }

    private void StartMetadataRefresh(GroupMembership group)
    {
        var topics = new SortedSet<string>(_subscription!, StringComparer.Ordinal);
        MetadataSnapshot? snapshot = group.LeaderSnapshot;
        if (snapshot is not null)
        {
            // The leader watches every topic some member subscribes to, as it assigns them all.
            topics.UnionWith(snapshot.Topics);
        }
        List<string> list = [.. topics];
        Task<MetadataResponse> refresh = Task.Run(() => group.GetMetadataAsync(list, CancellationToken.None));
        // Wake Consume when the answer is in; reading Exception marks a failure observed (it is handled, or the
        // consumer closed).
        refresh.ContinueWith(static (t, hub) =>
        {
            _ = t.Exception;
            ((FetchHub)hub!).Wake();
        }, _hub, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _metadataRefresh = refresh;
        _metadataRefreshSnapshot = snapshot;
    }

    /// <summary>Lets a refresh in flight finish (briefly) before the group's cluster client it uses is disposed.</summary>
    private void AwaitMetadataRefreshForClose()
    {
        Task<MetadataResponse>? refresh = _metadataRefresh;
        _metadataRefresh = null;
        if (refresh is null)
        {
            return;
        }
        try
        {
            refresh.Wait(TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
            // The refresh failed; nothing depends on it any more.
        }
    }
}
