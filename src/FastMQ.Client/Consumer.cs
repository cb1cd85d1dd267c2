using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Client.Assignors;
using FastMQ.Client.Consuming;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client;

/// <summary>
/// A Kafka-protocol consumer: joins a consumer group (<see cref="Subscribe(IEnumerable{string})"/>) or reads chosen
/// partitions (<see cref="Assign(IEnumerable{TopicPartitionOffset})"/>), prefetches from every partition leader, and
/// returns records as <see cref="ConsumeRecord"/> views over pooled buffers, allocating nothing per record.
/// </summary>
/// <remarks>
/// <para>Compatibility: group members speak Kafka's classic consumer-group protocol with the <c>range</c>,
/// <c>roundrobin</c> and <c>cooperative-sticky</c> assignors, so FastMQ, Java and librdkafka consumers can share a
/// group on Kafka, Redpanda or FastMQ brokers.</para>
/// <para>Threading: like Kafka's consumer, one application thread uses it (Consume, Commit, Seek, Pause, ...); it is
/// not thread-safe. Rebalance callbacks (<see cref="PartitionsAssigned"/>, <see cref="PartitionsRevoked"/>,
/// <see cref="PartitionsLost"/>) run on that thread inside <c>Consume</c>. Background threads: one fetcher per
/// broker plus its connection's receive thread, and a heartbeat thread in a group.</para>
/// <para>Delivery: offsets committed (automatically with <see cref="ConsumerConfig.EnableAutoCommit"/>, or by
/// <see cref="Commit()"/>) are those of records already returned, so a crash re-delivers at most the records after
/// the last commit: at-least-once.</para>
/// </remarks>
public sealed partial class Consumer : IDisposable, IAsyncDisposable
{
    /// <summary>Offset meaning "the first offset still in the log" (<see cref="Seek"/>, <see cref="Assign(IEnumerable{TopicPartitionOffset})"/>).</summary>
    public const long OffsetBeginning = -2;

    /// <summary>Offset meaning "the end of the log": the next record produced.</summary>
    public const long OffsetEnd = -1;

    /// <summary>Offset meaning "the group's committed offset, else <see cref="ConsumerConfig.AutoOffsetReset"/>".</summary>
    public const long OffsetStored = -1000;

    private readonly ConsumerConfig _config;
    private readonly ClientOptions _options;
    private readonly ClusterClient _cluster;
    private readonly FetchHub _hub = new();
    private readonly RecordCursor _cursor;
    private readonly FetchSettings _fetchSettings;
    private readonly GroupMembership? _group;
    private readonly Dictionary<TopicPartition, PartitionState> _assigned = [];
    private readonly Dictionary<int, Fetcher> _fetchers = [];
    private readonly long _autoCommitIntervalTicks;
    private readonly long _metadataMaxAgeTicks;
    private List<string>? _subscription;
    private Task<List<TopicPartition>>? _join;
    private List<TopicPartition> _joinOwned = [];
    private long _joinRetryTicks;

    /// <summary>Earliest time stale metadata is looked up again (Kafka's retry.backoff.ms default, 100 ms, between lookups).</summary>
    private long _staleRetryTicks;

    private static readonly long StaleRetryBackoffTicks = Stopwatch.Frequency / 10;
    private long _nextAutoCommitTicks;
    private long _nextMetadataRefreshTicks;
    private Task<MetadataResponse>? _metadataRefresh;
    private MetadataSnapshot? _metadataRefreshSnapshot;
    private bool _closed;

    /// <summary>Creates a consumer; it connects lazily, on the first Subscribe, Assign or Consume.</summary>
    /// <exception cref="ArgumentException">A setting is invalid (the message names it).</exception>
    public Consumer(ConsumerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        List<PartitionAssignor> assignors = config.ValidateAndGetAssignors();
        _config = config;
        _options = config.ToClientOptions();
        _cluster = new ClusterClient(_options);
        _cursor = new RecordCursor(_hub);
        _fetchSettings = new FetchSettings((int)config.FetchMaxWait.TotalMilliseconds, config.FetchMinBytes,
            config.FetchMaxBytes, config.MaxPartitionFetchBytes, (sbyte)config.IsolationLevel);
        _autoCommitIntervalTicks = (long)(config.AutoCommitInterval.TotalSeconds * Stopwatch.Frequency);
        _nextAutoCommitTicks = Stopwatch.GetTimestamp() + _autoCommitIntervalTicks;
        _metadataMaxAgeTicks = (long)(config.MetadataMaxAge.TotalSeconds * Stopwatch.Frequency);
        _nextMetadataRefreshTicks = Stopwatch.GetTimestamp() + _metadataMaxAgeTicks;
        if (config.GroupId is not null)
        {
            _group = new GroupMembership(new ClusterClient(_options), new GroupSettings(config.GroupId, config.GroupInstanceId,
                config.SessionTimeout, config.MaxPollInterval, config.HeartbeatInterval, assignors), _hub);
        }
    }

    /// <summary>Partitions newly assigned (after a rebalance or <see cref="Assign(IEnumerable{TopicPartitionOffset})"/>); runs inside Consume. A handler may <see cref="Seek"/>.</summary>
    public event Action<Consumer, IReadOnlyList<TopicPartition>>? PartitionsAssigned;

    /// <summary>Partitions taken away in an orderly rebalance; runs before they move, so a handler may <see cref="Commit()"/>.</summary>
    public event Action<Consumer, IReadOnlyList<TopicPartition>>? PartitionsRevoked;

    /// <summary>Partitions lost: the member was removed from the group (session or poll timeout), and another member may already read them; commits would fail.</summary>
    public event Action<Consumer, IReadOnlyList<TopicPartition>>? PartitionsLost;

    /// <summary>The group member id the coordinator gave this consumer; empty outside a group.</summary>
    public string MemberId => _group?.MemberId ?? "";

    /// <summary>The group generation of the current assignment; -1 outside a group.</summary>
    public int GenerationId => _group?.GenerationId ?? -1;

    /// <summary>The topics subscribed to (empty when none).</summary>
    public IReadOnlyList<string> Subscription => _subscription is null ? [] : [.. _subscription];

    /// <summary>The partitions currently assigned, sorted (a copy).</summary>
    public IReadOnlyList<TopicPartition> Assignment
    {
        get
        {
            var list = new List<TopicPartition>(_assigned.Keys);
            list.Sort();
            return list;
        }
    }

    /// <summary>
    /// Subscribes to <paramref name="topics"/> with group management (needs <see cref="ConsumerConfig.GroupId"/>):
    /// the group assigns partitions on the next <c>Consume</c>. Replaces an earlier subscription or assignment.
    /// </summary>
    public void Subscribe(IEnumerable<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ThrowIfClosed();
        if (_group is null)
        {
            throw new InvalidOperationException("Subscribe needs a group: set ConsumerConfig.GroupId (group.id), or use Assign");
        }
        var list = new List<string>();
        foreach (string t in topics)
        {
            if (string.IsNullOrWhiteSpace(t))
            {
                throw new ArgumentException("topic names must not be empty", nameof(topics));
            }
            if (!list.Contains(t))
            {
                list.Add(t);
            }
        }
        if (list.Count == 0)
        {
            throw new ArgumentException("subscribe to at least one topic (Unsubscribe to stop)", nameof(topics));
        }
        list.Sort(StringComparer.Ordinal);
        if (_subscription is null && _assigned.Count > 0)
        {
            RemovePartitions(new List<TopicPartition>(_assigned.Keys));
        }
        _subscription = list;
        _group.RequestRejoin();
    }

    /// <summary>Subscribes to one topic (see <see cref="Subscribe(IEnumerable{string})"/>).</summary>
    public void Subscribe(string topic) => Subscribe([topic]);

    /// <summary>Leaves the group (revoking every partition) and forgets the subscription.</summary>
    public void Unsubscribe()
    {
        ThrowIfClosed();
        if (_subscription is null || _group is null)
        {
            return;
        }
        RevokeAllForLeave();
        _subscription = null;
        Wait(_group.LeaveAsync(CancellationToken.None));
    }

    /// <summary>
    /// Reads exactly these partitions, without group management, starting at each given offset (or
    /// <see cref="OffsetBeginning"/>, <see cref="OffsetEnd"/>, <see cref="OffsetStored"/>). Replaces an earlier assignment.
    /// Commits still work when <see cref="ConsumerConfig.GroupId"/> is set (standalone commits).
    /// </summary>
    public void Assign(IEnumerable<TopicPartitionOffset> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfClosed();
        if (_subscription is not null)
        {
            throw new InvalidOperationException("this consumer is subscribed: Unsubscribe before Assign");
        }
        var wanted = new Dictionary<TopicPartition, long>();
        foreach (TopicPartitionOffset tpo in partitions)
        {
            ValidateStartOffset(tpo.Offset);
            wanted[tpo.TopicPartition] = tpo.Offset;
        }
        var removed = new List<TopicPartition>();
        foreach (TopicPartition tp in _assigned.Keys)
        {
            if (!wanted.ContainsKey(tp))
            {
                removed.Add(tp);
            }
        }
        RemovePartitions(removed);
        var added = new List<TopicPartition>();
        foreach (KeyValuePair<TopicPartition, long> e in wanted)
        {
            if (!_assigned.ContainsKey(e.Key))
            {
                added.Add(e.Key);
            }
        }
        AddPartitions(added);
        foreach (KeyValuePair<TopicPartition, long> e in wanted)
        {
            if (e.Value != OffsetStored)
            {
                SeekCore(_assigned[e.Key], e.Value);
            }
        }
        StartPartitions();
    }

    /// <summary>Reads these partitions from the committed offsets (else <see cref="ConsumerConfig.AutoOffsetReset"/>).</summary>
    public void Assign(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var list = new List<TopicPartitionOffset>();
        foreach (TopicPartition tp in partitions)
        {
            list.Add(new TopicPartitionOffset(tp.Topic, tp.Partition, OffsetStored));
        }
        Assign(list);
    }

    /// <summary>Stops reading every assigned partition (manual assignment).</summary>
    public void Unassign() => Assign(Array.Empty<TopicPartitionOffset>());

    /// <summary>
    /// Returns the next record, waiting up to <paramref name="timeout"/>; false when none arrived in time. The record
    /// is valid until the next call on this consumer. Rebalances, offset resets and automatic commits happen inside.
    /// </summary>
    /// <exception cref="ConsumerException">A fatal group error, an offset out of range with <c>auto.offset.reset=none</c>, a corrupt batch.</exception>
    public bool Consume(TimeSpan timeout, out ConsumeRecord record)
    {
        ThrowIfClosed();
        _group?.NotePoll();
        long deadline = timeout == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : Stopwatch.GetTimestamp() + (long)(Math.Max(0, timeout.TotalSeconds) * Stopwatch.Frequency);
        while (true)
        {
            ServiceControlPlane();
            if (_cursor.TryRead(out record))
            {
                return true;
            }
            long remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return false;
            }
            WaitForData((int)Math.Min(100, 1 + (remaining * 1000 / Stopwatch.Frequency)));
        }
    }

    /// <summary>Returns the next record, waiting until one arrives; cancellation throws <see cref="OperationCanceledException"/>.</summary>
    public bool Consume(CancellationToken cancellationToken, out ConsumeRecord record)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Consume(TimeSpan.FromMilliseconds(100), out record))
            {
                return true;
            }
        }
    }

    /// <summary>Commits (if auto-commit is on), revokes, leaves the group and closes every connection. Idempotent.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }
        try
        {
            if (_group is not null && _subscription is not null)
            {
                RevokeAllForLeave();
                // Bounded: a JoinGroup still pending on the coordinator must not hold Close for the rebalance timeout.
                using var leaveTimeout = new CancellationTokenSource(_options.RequestTimeout);
                Wait(_group.LeaveAsync(leaveTimeout.Token));
            }
            else if (_group is not null && _config.EnableAutoCommit && _assigned.Count > 0)
            {
                TryAutoCommit();
            }
        }
        catch (Exception e) when (e is ClientException or ConsumerException or OperationCanceledException)
        {
            // Closing must finish: the group notices the member is gone when its session expires.
        }
        finally
        {
            _closed = true;
            _hub.Closing = true;
            _hub.Wake();
            foreach (Fetcher f in _fetchers.Values)
            {
                f.Dispose();
            }
            _fetchers.Clear();
            _cursor.Dispose();
            AwaitMetadataRefreshForClose();
            _group?.Dispose();
            Wait(_cluster.DisposeAsync().AsTask());
        }
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    /// <summary>Same as <see cref="Close"/>, on a thread-pool thread.</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Close));

    private void WaitForData(int timeoutMs)
    {
        lock (_hub.Sync)
        {
            bool groupWork = GroupNeedsAttention() && (_join is null ? Stopwatch.GetTimestamp() >= _joinRetryTicks : _join.IsCompleted);
            bool refreshed = _metadataRefresh is { IsCompleted: true };
            long staleWaitTicks = _hub.MetadataStale ? _staleRetryTicks - Stopwatch.GetTimestamp() : long.MaxValue;
            if (_hub.ReadyCount == 0 && !_hub.ResetNeeded && staleWaitTicks > 0 && !groupWork && !refreshed)
            {
                // Stale metadata not yet due for another lookup: sleep until it is (or data arrives), never spin.
                int waitMs = staleWaitTicks == long.MaxValue
                    ? timeoutMs
                    : (int)Math.Min(timeoutMs, Math.Max(1, staleWaitTicks * 1000 / Stopwatch.Frequency));
                Monitor.Wait(_hub.Sync, waitMs);
            }
        }
    }

    private bool GroupNeedsAttention() =>
        _group is not null && _subscription is not null
        && (_join is not null || !_group.IsStable || _group.NeedsRejoin || _group.Lost || _group.Fatal is not null);

    /// <summary>Control work due at the start of a Consume iteration; only volatile flag reads when nothing is due.</summary>
    private void ServiceControlPlane()
    {
        if (GroupNeedsAttention())
        {
            Rebalance();
        }
        if (_hub.ResetNeeded)
        {
            ResetOutOfRange();
        }
        if (_hub.MetadataStale && Stopwatch.GetTimestamp() >= _staleRetryTicks)
        {
            // A partition without a leader (topic being created, leader moving) keeps the flag set: look again after
            // the back-off, not on every Consume iteration.
            _staleRetryTicks = Stopwatch.GetTimestamp() + StaleRetryBackoffTicks;
            _hub.MetadataStale = false;
            RouteToLeaders(new List<PartitionState>(_assigned.Values));
            RefreshMetadataSoon(); // a partition the broker no longer knows may be a deleted or re-created topic
        }
        if (_subscription is not null && MetadataRefreshDue())
        {
            ServiceMetadataRefresh();
        }
        if (_config.EnableAutoCommit && _group is not null && Stopwatch.GetTimestamp() >= _nextAutoCommitTicks)
        {
            _nextAutoCommitTicks = Stopwatch.GetTimestamp() + _autoCommitIntervalTicks;
            TryAutoCommit();
        }
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

    /// <summary>Runs control-plane async work to completion on the application thread (no synchronization context is involved: the awaited code uses ConfigureAwait(false)).</summary>
    private static void Wait(Task task) => task.GetAwaiter().GetResult();

    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
