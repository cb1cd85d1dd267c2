using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Client.Assignors;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Consuming;

/// <summary>
/// One consumer's membership in a classic Kafka consumer group: coordinator lookup, JoinGroup (with the
/// MEMBER_ID_REQUIRED round trip of KIP-394), SyncGroup (the leader runs the assignor), heartbeats on a background
/// thread, LeaveGroup, and offset commits and lookups on the coordinator.
/// </summary>
/// <remarks>
/// <para>Threading: <see cref="JoinAsync"/> runs as a task on the thread pool while the application keeps calling
/// Consume; it has its own <see cref="ClusterClient"/> (owned and disposed by this object), shared with coordinator
/// lookups from the application thread under a gate. The heartbeat thread only reads the member
/// id, generation and coordinator connection (published with volatile writes) and sets the flags
/// <see cref="NeedsRejoin"/>, <see cref="Lost"/>, <see cref="CoordinatorLost"/>, <see cref="Fatal"/>, which the
/// application thread acts on in its next Consume call. The coordinator <see cref="BrokerConnection"/> serialises
/// requests, so heartbeats and commits can share it.</para>
/// <para>The coordinator connection's request timeout covers a JoinGroup, which the coordinator holds until every
/// member rejoined (up to the rebalance timeout).</para>
/// </remarks>
internal sealed class GroupMembership : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly ClusterClient _cluster;
    private readonly GroupSettings _settings;
    private readonly FetchHub _hub;
    private readonly ClientOptions _coordinatorOptions;
    private readonly Thread _heartbeatThread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly SemaphoreSlim _clusterGate = new(1, 1);
    private volatile BrokerConnection? _coordinator;
    private BrokerConnection? _joinConnection;
    private volatile string _memberId = "";
    private volatile int _generationId = -1;
    private volatile bool _stable;
    private volatile bool _needsRejoin;
    private volatile bool _lost;
    private volatile bool _coordinatorLost;
    private volatile Exception? _fatal;
    private volatile MetadataSnapshot? _leaderSnapshot;
    private volatile string? _rejoinReason;
    private long _lastPollTicks = Stopwatch.GetTimestamp();
    private long _lastHeartbeatOkTicks = Stopwatch.GetTimestamp();

    public GroupMembership(ClusterClient cluster, GroupSettings settings, FetchHub hub)
    {
        _cluster = cluster;
        _settings = settings;
        _hub = hub;
        ClientOptions o = cluster.Options;
        TimeSpan joinTimeout = settings.RebalanceTimeout + TimeSpan.FromSeconds(5);
        _coordinatorOptions = new ClientOptions
        {
            BootstrapServers = o.BootstrapServers,
            ClientId = o.ClientId,
            SoftwareName = o.SoftwareName,
            SoftwareVersion = o.SoftwareVersion,
            ConnectTimeout = o.ConnectTimeout,
            RequestTimeout = joinTimeout > o.RequestTimeout ? joinTimeout : o.RequestTimeout,
        };
        bool cooperative = true;
        foreach (PartitionAssignor a in settings.Assignors)
        {
            cooperative &= a.Protocol == RebalanceProtocol.Cooperative;
        }
        // Like Kafka's consumer: cooperative only when every offered assignor supports it.
        Protocol = cooperative ? RebalanceProtocol.Cooperative : RebalanceProtocol.Eager;
        _heartbeatThread = new Thread(HeartbeatLoop) { IsBackground = true, Name = $"fastmq-heartbeat {settings.GroupId}" };
        _heartbeatThread.Start();
    }

    public string GroupId => _settings.GroupId;

    public string MemberId => _memberId;

    public int GenerationId => _generationId;

    /// <summary>The rebalance protocol the offered assignors allow.</summary>
    public RebalanceProtocol Protocol { get; }

    /// <summary>The assignor the group chose in the last join; null before.</summary>
    public PartitionAssignor? Assignor { get; private set; }

    /// <summary>Joined and synced, heartbeating.</summary>
    public bool IsStable => _stable;

    /// <summary>The coordinator started a rebalance (or a cooperative revocation is due): the member must rejoin.</summary>
    public bool NeedsRejoin => _needsRejoin;

    /// <summary>The member was removed from the group (session expired, fenced generation): its partitions are lost.</summary>
    public bool Lost => _lost;

    /// <summary>The coordinator moved or failed; it is looked up again on the next group request.</summary>
    public bool CoordinatorLost => _coordinatorLost;

    /// <summary>An error the consumer cannot recover from (FENCED_INSTANCE_ID); thrown by the next Consume.</summary>
    public Exception? Fatal => _fatal;

    /// <summary>
    /// When this member is the leader of the current generation: the partition counts it assigned from (the
    /// application thread compares fresh metadata with it); null otherwise. Written by the join task before the join
    /// completes (volatile: whoever sees the completed join sees the snapshot of that join).
    /// </summary>
    public MetadataSnapshot? LeaderSnapshot => _leaderSnapshot;

    /// <summary>Asks for a rejoin at the next Consume call; <paramref name="reason"/> goes to the coordinator in JoinGroup (v8+).</summary>
    public void RequestRejoin(string? reason = null)
    {
        _rejoinReason = reason;
        _needsRejoin = true;
    }

    /// <summary>Metadata of <paramref name="topics"/> from this member's cluster client (shared with the join task under the gate).</summary>
    public async Task<MetadataResponse> GetMetadataAsync(IReadOnlyList<string> topics, CancellationToken cancellationToken)
    {
        await _clusterGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _cluster.GetMetadataAsync(topics, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _clusterGate.Release();
        }
    }

    /// <summary>Notes a Consume call, for max.poll.interval.ms.</summary>
    public void NotePoll() => Volatile.Write(ref _lastPollTicks, Stopwatch.GetTimestamp());

    /// <summary>The coordinator connection, looked up (FindCoordinator) when unknown or broken. Application thread.</summary>
    public async Task<BrokerConnection> CoordinatorAsync(CancellationToken cancellationToken)
    {
        BrokerConnection? current = _coordinator;
        if (current is { IsUsable: true } && !_coordinatorLost)
        {
            return current;
        }
        // The join task and the application thread may both look up the coordinator; the cluster client has one owner.
        await _clusterGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await LookUpCoordinatorAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _clusterGate.Release();
        }
    }

    private async Task<BrokerConnection> LookUpCoordinatorAsync(CancellationToken cancellationToken)
    {
        BrokerConnection? current = _coordinator;
        if (current is { IsUsable: true } && !_coordinatorLost)
        {
            return current;
        }
        _coordinatorLost = false;
        BrokerConnection any = await _cluster.GetAnyAsync(cancellationToken).ConfigureAwait(false);
        var request = new FindCoordinatorRequest { Key = GroupId, KeyType = FindCoordinatorRequest.GroupKeyType };
        request.CoordinatorKeys.Add(GroupId);
        FindCoordinatorResponse response = await any.SendAsync(ApiKey.FindCoordinator, request.Write,
            FindCoordinatorResponse.Read, cancellationToken).ConfigureAwait(false);
        (ErrorCode error, string host, int port, string? message) =
            (response.ErrorCode, response.Host, response.Port, response.ErrorMessage);
        if (response.Coordinators.Count > 0)
        {
            FindCoordinatorResponse.Coordinator c = response.Coordinators[0];
            (error, host, port, message) = (c.ErrorCode, c.Host, c.Port, c.ErrorMessage);
        }
        if (error != ErrorCode.None)
        {
            throw new BrokerErrorException(error, $"cannot find the coordinator of group '{GroupId}'", message);
        }
        BrokerConnection connection = await BrokerConnection.ConnectAsync(new BrokerEndpoint(host, port),
            _coordinatorOptions, cancellationToken).ConfigureAwait(false);
        if (current is not null)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }
        _coordinator = connection;
        return connection;
    }

    /// <summary>
    /// Joins (or rejoins) the group and syncs: returns this member's assignment. Retries the errors Kafka's consumer
    /// retries (rebalance in progress, unknown member, coordinator moved); throws <see cref="ConsumerException"/> for
    /// the others. <paramref name="owned"/> is sent as the owned partitions (cooperative protocol).
    /// </summary>
    public async Task<List<TopicPartition>> JoinAsync(IReadOnlyList<string> topics, IReadOnlyCollection<TopicPartition> owned,
        CancellationToken cancellationToken)
    {
        _stable = false;
        string? reason = _rejoinReason;
        _rejoinReason = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _leaderSnapshot = null; // set again by AssignAsLeaderAsync when this member leads the generation
            BrokerConnection coordinator;
            try
            {
                coordinator = await CoordinatorAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (BrokerErrorException e) when (e.ErrorCode is ErrorCode.CoordinatorNotAvailable or ErrorCode.CoordinatorLoadInProgress
                                                     or ErrorCode.NotCoordinator)
            {
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }
            // JoinGroup and SyncGroup get their own connection: the coordinator holds a JoinGroup until every member
            // rejoined, and heartbeats and commits on the shared connection must not queue behind it.
            coordinator = await JoinConnectionAsync(coordinator.Endpoint, cancellationToken).ConfigureAwait(false);
            JoinGroupResponse join = await SendJoinAsync(coordinator, topics, owned, reason, cancellationToken).ConfigureAwait(false);
            if (!await HandleJoinErrorAsync(join, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            _memberId = join.MemberId;
            _generationId = join.GenerationId;
            PartitionAssignor assignor = FindAssignor(join.ProtocolName);
            byte[]? assignment = await SyncAsync(coordinator, join, assignor, cancellationToken).ConfigureAwait(false);
            if (assignment is null)
            {
                continue;
            }
            Assignor = assignor;
            _needsRejoin = false;
            _lost = false;
            Volatile.Write(ref _lastHeartbeatOkTicks, Stopwatch.GetTimestamp());
            _stable = true;
            try
            {
                return ConsumerProtocolCodec.DecodeAssignment(assignment);
            }
            catch (KafkaProtocolException e)
            {
                throw new ConsumerException($"the group leader sent an assignment this consumer cannot read: {e.Message}", e);
            }
        }
    }

    private async Task<BrokerConnection> JoinConnectionAsync(BrokerEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (_joinConnection is { IsUsable: true } && _joinConnection.Endpoint == endpoint)
        {
            return _joinConnection;
        }
        if (_joinConnection is not null)
        {
            await _joinConnection.DisposeAsync().ConfigureAwait(false);
        }
        _joinConnection = await BrokerConnection.ConnectAsync(endpoint, _coordinatorOptions, cancellationToken).ConfigureAwait(false);
        return _joinConnection;
    }

    /// <summary>
    /// Commits <paramref name="offsets"/> (next offsets to read) with this member's generation (or as a standalone
    /// commit outside a generation). A rejected commit throws <see cref="ConsumerException"/> naming the error.
    /// </summary>
    public async Task CommitAsync(IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        if (offsets.Count == 0)
        {
            return;
        }
        BrokerConnection coordinator = await CoordinatorAsync(cancellationToken).ConfigureAwait(false);
        await CommitOnAsync(coordinator, offsets, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As <see cref="CommitAsync"/> on a coordinator connection already known (any thread).</summary>
    public async Task CommitOnAsync(BrokerConnection coordinator, IReadOnlyList<TopicPartitionOffset> offsets,
        CancellationToken cancellationToken)
    {
        bool inGeneration = _stable && _generationId >= 0;
        var request = new OffsetCommitRequest
        {
            GroupId = GroupId,
            GenerationIdOrMemberEpoch = inGeneration ? _generationId : -1,
            MemberId = inGeneration ? _memberId : "",
            GroupInstanceId = inGeneration ? _settings.GroupInstanceId : null,
        };
        var byTopic = new Dictionary<string, OffsetCommitRequest.Topic>(StringComparer.Ordinal);
        foreach (TopicPartitionOffset o in offsets)
        {
            if (!byTopic.TryGetValue(o.Topic, out OffsetCommitRequest.Topic? t))
            {
                t = new OffsetCommitRequest.Topic { Name = o.Topic };
                byTopic[o.Topic] = t;
                request.Topics.Add(t);
            }
            t.Partitions.Add(new OffsetCommitRequest.Partition { PartitionIndex = o.Partition, CommittedOffset = o.Offset });
        }
        OffsetCommitResponse response = await coordinator.SendAsync(ApiKey.OffsetCommit, request.Write,
            OffsetCommitResponse.Read, cancellationToken).ConfigureAwait(false);
        foreach (OffsetCommitResponse.Topic t in response.Topics)
        {
            foreach (OffsetCommitResponse.Partition p in t.Partitions)
            {
                if (p.ErrorCode == ErrorCode.None)
                {
                    continue;
                }
                if (p.ErrorCode is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId)
                {
                    _needsRejoin = true;
                    _hub.Wake();
                }
                if (p.ErrorCode is ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable)
                {
                    _coordinatorLost = true;
                }
                throw new ConsumerException(
                    $"commit of {t.Name}[{p.PartitionIndex}] for group '{GroupId}' failed: {KafkaErrorNames.Of(p.ErrorCode)}",
                    KafkaErrorNames.Of(p.ErrorCode));
            }
        }
    }

    /// <summary>Committed offsets (-1 when none) of <paramref name="partitions"/>.</summary>
    public async Task<Dictionary<TopicPartition, long>> FetchCommittedAsync(IReadOnlyCollection<TopicPartition> partitions,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<TopicPartition, long>();
        if (partitions.Count == 0)
        {
            return result;
        }
        BrokerConnection coordinator = await CoordinatorAsync(cancellationToken).ConfigureAwait(false);
        var byTopic = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (TopicPartition tp in partitions)
        {
            if (!byTopic.TryGetValue(tp.Topic, out List<int>? list))
            {
                list = [];
                byTopic[tp.Topic] = list;
            }
            list.Add(tp.Partition);
        }
        foreach (KeyValuePair<string, List<int>> e in byTopic)
        {
            SortedDictionary<string, SortedDictionary<int, long>> committed = await GroupAdmin.FetchCommittedAsync(
                coordinator, GroupId, e.Key, e.Value, cancellationToken).ConfigureAwait(false);
            foreach (int p in e.Value)
            {
                long offset = committed.TryGetValue(e.Key, out SortedDictionary<int, long>? parts)
                    && parts.TryGetValue(p, out long o) ? o : -1;
                result[new TopicPartition(e.Key, p)] = offset;
            }
        }
        return result;
    }

    /// <summary>Leaves the group (dynamic members only: a static member keeps its assignment for a restart, as in Kafka).</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        bool wasMember = _memberId.Length > 0;
        _stable = false;
        if (!wasMember || _settings.GroupInstanceId is not null)
        {
            return;
        }
        BrokerConnection coordinator = await CoordinatorAsync(cancellationToken).ConfigureAwait(false);
        short version = GroupApiVersions.LeaveGroup(coordinator);
        var request = new LeaveGroupRequest { GroupId = GroupId };
        request.Members.Add(new LeaveGroupRequest.Member { MemberId = _memberId, GroupInstanceId = _settings.GroupInstanceId });
        await coordinator.SendAsync(ApiKey.LeaveGroup, version, request.Write, LeaveGroupResponse.Read,
            cancellationToken).ConfigureAwait(false);
        _memberId = "";
        _generationId = -1;
    }

    /// <summary>Forgets the generation after lost partitions (and the member id when the coordinator forgot it).</summary>
    public void ResetGeneration(bool forgetMemberId)
    {
        _generationId = -1;
        if (forgetMemberId)
        {
            _memberId = "";
        }
    }

    public void Dispose()
    {
        _stable = false;
        _stop.Set();
        if (_heartbeatThread != Thread.CurrentThread)
        {
            _heartbeatThread.Join(TimeSpan.FromSeconds(5));
        }
        BrokerConnection? c = _coordinator;
        _coordinator = null;
        c?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _joinConnection?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stop.Dispose();
    }

    private async Task<JoinGroupResponse> SendJoinAsync(BrokerConnection coordinator, IReadOnlyList<string> topics,
        IReadOnlyCollection<TopicPartition> owned, string? reason, CancellationToken cancellationToken)
    {
        var request = new JoinGroupRequest
        {
            GroupId = GroupId,
            SessionTimeoutMs = (int)_settings.SessionTimeout.TotalMilliseconds,
            RebalanceTimeoutMs = (int)_settings.RebalanceTimeout.TotalMilliseconds,
            MemberId = _memberId,
            GroupInstanceId = _settings.GroupInstanceId,
            ProtocolType = "consumer",
            Reason = reason,
        };
        IReadOnlyCollection<TopicPartition> sentOwned = Protocol == RebalanceProtocol.Cooperative ? owned : [];
        foreach (PartitionAssignor a in _settings.Assignors)
        {
            request.Protocols.Add(new JoinGroupRequest.Protocol
            {
                Name = a.Name,
                Metadata = ConsumerProtocolCodec.EncodeSubscription(topics, sentOwned, _generationId,
                    a.SubscriptionUserData(_generationId)),
            });
        }
        short version = GroupApiVersions.JoinGroup(coordinator);
        return await coordinator.SendAsync(ApiKey.JoinGroup, version, request.Write, JoinGroupResponse.Read,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the join succeeded; false to retry; throws for errors that retrying cannot fix.</summary>
    private async Task<bool> HandleJoinErrorAsync(JoinGroupResponse join, CancellationToken cancellationToken)
    {
        switch (join.ErrorCode)
        {
            case ErrorCode.None:
                return true;
            case ErrorCode.MemberIdRequired:
                _memberId = join.MemberId; // KIP-394: rejoin at once with the id the coordinator chose
                return false;
            case ErrorCode.UnknownMemberId:
                _memberId = "";
                _generationId = -1;
                return false;
            case ErrorCode.IllegalGeneration:
                _generationId = -1;
                return false;
            case ErrorCode.NotCoordinator:
            case ErrorCode.CoordinatorNotAvailable:
                _coordinatorLost = true;
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                return false;
            case ErrorCode.RebalanceInProgress:
            case ErrorCode.CoordinatorLoadInProgress:
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                return false;
            case ErrorCode.InconsistentGroupProtocol:
                throw new ConsumerException(
                    $"group '{GroupId}' uses assignors this consumer does not offer ({AssignorNames()}): INCONSISTENT_GROUP_PROTOCOL",
                    KafkaErrorNames.Of(join.ErrorCode));
            default:
                throw new ConsumerException(
                    $"JoinGroup for group '{GroupId}' failed: {KafkaErrorNames.Of(join.ErrorCode)}", KafkaErrorNames.Of(join.ErrorCode));
        }
    }

    /// <summary>SyncGroup; the leader's assignment bytes for this member, or null to rejoin.</summary>
    private async Task<byte[]?> SyncAsync(BrokerConnection coordinator, JoinGroupResponse join, PartitionAssignor assignor,
        CancellationToken cancellationToken)
    {
        var request = new SyncGroupRequest
        {
            GroupId = GroupId,
            GenerationId = join.GenerationId,
            MemberId = join.MemberId,
            GroupInstanceId = _settings.GroupInstanceId,
            ProtocolType = "consumer",
            ProtocolName = assignor.Name,
        };
        if (join.Leader == join.MemberId)
        {
            await AssignAsLeaderAsync(join, assignor, request, cancellationToken).ConfigureAwait(false);
        }
        short version = GroupApiVersions.SyncGroup(coordinator);
        SyncGroupResponse sync = await coordinator.SendAsync(ApiKey.SyncGroup, version, request.Write,
            SyncGroupResponse.Read, cancellationToken).ConfigureAwait(false);
        switch (sync.ErrorCode)
        {
            case ErrorCode.None:
                return sync.Assignment;
            case ErrorCode.RebalanceInProgress:
                return null;
            case ErrorCode.UnknownMemberId:
                _memberId = "";
                _generationId = -1;
                return null;
            case ErrorCode.IllegalGeneration:
                _generationId = -1;
                return null;
            case ErrorCode.NotCoordinator:
            case ErrorCode.CoordinatorNotAvailable:
                _coordinatorLost = true;
                return null;
            default:
                throw new ConsumerException(
                    $"SyncGroup for group '{GroupId}' failed: {KafkaErrorNames.Of(sync.ErrorCode)}", KafkaErrorNames.Of(sync.ErrorCode));
        }
    }

    private async Task AssignAsLeaderAsync(JoinGroupResponse join, PartitionAssignor assignor, SyncGroupRequest request,
        CancellationToken cancellationToken)
    {
        var members = new List<AssignorMember>(join.Members.Count);
        var topics = new SortedSet<string>(StringComparer.Ordinal);
        foreach (JoinGroupResponse.Member m in join.Members)
        {
            AssignorMember member;
            try
            {
                member = ConsumerProtocolCodec.DecodeMember(m.MemberId, m.GroupInstanceId, m.Metadata);
            }
            catch (KafkaProtocolException e)
            {
                throw new ConsumerException($"member '{m.MemberId}' of group '{GroupId}' sent a subscription this leader cannot read: {e.Message}", e);
            }
            members.Add(member);
            topics.UnionWith(member.Topics);
        }
        MetadataResponse? metadata = topics.Count == 0 ? null
            : await GetMetadataAsync([.. topics], cancellationToken).ConfigureAwait(false);
        // Kept while this generation lasts: the consumer's metadata refresh compares with it and rejoins when a
        // subscribed topic gains or loses partitions (or appears, or is deleted).
        var snapshot = new MetadataSnapshot(topics, metadata);
        Dictionary<string, List<TopicPartition>> result = assignor.Assign(snapshot.PartitionsPerTopic, members);
        foreach (KeyValuePair<string, List<TopicPartition>> e in result)
        {
            request.Assignments.Add(new SyncGroupRequest.Assignment
            {
                MemberId = e.Key,
                Data = ConsumerProtocolCodec.EncodeAssignment(e.Value),
            });
        }
        _leaderSnapshot = snapshot;
    }

    private PartitionAssignor FindAssignor(string? name)
    {
        foreach (PartitionAssignor a in _settings.Assignors)
        {
            if (a.Name == name)
            {
                return a;
            }
        }
        throw new ConsumerException($"group '{GroupId}' chose assignor '{name}', which this consumer did not offer ({AssignorNames()})");
    }

    private string AssignorNames()
    {
        var names = new List<string>();
        foreach (PartitionAssignor a in _settings.Assignors)
        {
            names.Add(a.Name);
        }
        return string.Join(",", names);
    }

    private void HeartbeatLoop()
    {
        while (!_stop.Wait(_settings.HeartbeatInterval))
        {
            if (!_stable)
            {
                continue;
            }
            long now = Stopwatch.GetTimestamp();
            try
            {
                if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastPollTicks), now) > _settings.RebalanceTimeout)
                {
                    // max.poll.interval.ms passed without a Consume call: leave so that the partitions move (as Kafka does).
                    OnPollTimeout();
                    continue;
                }
                HeartbeatOnce();
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                // The connection was closed under the heartbeat (consumer closing, coordinator replaced): look it up again.
                _coordinatorLost = true;
            }
        }
    }

    private void OnPollTimeout()
    {
        _stable = false;
        try
        {
            BrokerConnection? c = _coordinator;
            if (c is not null && _settings.GroupInstanceId is null)
            {
                short version = GroupApiVersions.LeaveGroup(c);
                var request = new LeaveGroupRequest { GroupId = GroupId };
                request.Members.Add(new LeaveGroupRequest.Member { MemberId = _memberId, Reason = "max.poll.interval.ms expired" });
                c.SendAsync(ApiKey.LeaveGroup, version, request.Write, LeaveGroupResponse.Read, CancellationToken.None)
                    .GetAwaiter().GetResult();
            }
        }
        catch (ClientException)
        {
            // Leaving is a courtesy: the session timeout removes the member anyway.
        }
        _memberId = "";
        _lost = true;
        _needsRejoin = true;
        _hub.Wake();
    }

    private void HeartbeatOnce()
    {
        BrokerConnection? c = _coordinator;
        if (c is null)
        {
            return;
        }
        HeartbeatResponse response;
        try
        {
            var request = new HeartbeatRequest
            {
                GroupId = GroupId,
                GenerationId = _generationId,
                MemberId = _memberId,
                GroupInstanceId = _settings.GroupInstanceId,
            };
            response = c.SendAsync(ApiKey.Heartbeat, GroupApiVersions.Heartbeat(c), request.Write, HeartbeatResponse.Read,
                CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (ClientException)
        {
            _coordinatorLost = true;
            if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastHeartbeatOkTicks)) > _settings.SessionTimeout)
            {
                MarkLost(forgetMemberId: false);
            }
            _hub.Wake();
            return;
        }
        switch (response.ErrorCode)
        {
            case ErrorCode.None:
                Volatile.Write(ref _lastHeartbeatOkTicks, Stopwatch.GetTimestamp());
                return;
            case ErrorCode.RebalanceInProgress:
                _needsRejoin = true;
                break;
            case ErrorCode.UnknownMemberId:
                MarkLost(forgetMemberId: true);
                break;
            case ErrorCode.IllegalGeneration:
                MarkLost(forgetMemberId: false);
                break;
            case ErrorCode.FencedInstanceId:
                _stable = false;
                _fatal = new ConsumerException(
                    $"another consumer with group.instance.id '{_settings.GroupInstanceId}' joined group '{GroupId}': this one is fenced",
                    KafkaErrorNames.Of(response.ErrorCode));
                break;
            case ErrorCode.NotCoordinator:
            case ErrorCode.CoordinatorNotAvailable:
                _coordinatorLost = true;
                break;
            default:
                break;
        }
        _hub.Wake();
    }

    private void MarkLost(bool forgetMemberId)
    {
        _stable = false;
        _generationId = -1;
        if (forgetMemberId)
        {
            _memberId = "";
        }
        _lost = true;
        _needsRejoin = true;
    }
}
