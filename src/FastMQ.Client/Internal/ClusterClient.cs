using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Internal;

/// <summary>
/// Connections to a cluster: one bootstrap connection for metadata and admin requests, plus one per broker node that
/// leads a partition, opened at the address that broker advertises in Metadata.
/// </summary>
/// <remarks>
/// <para>Single node: the advertised address is normally the bootstrap one, and the bootstrap connection is reused for
/// it. Connections that failed are replaced on next use.</para>
/// <para>Threading: not thread-safe; one owner (a command) drives it.</para>
/// </remarks>
internal sealed class ClusterClient : IAsyncDisposable
{
    private readonly ClientOptions _options;
    private readonly Dictionary<int, BrokerEndpoint> _nodes = [];
    private readonly Dictionary<BrokerEndpoint, BrokerConnection> _connections = [];
    private BrokerConnection? _bootstrap;

    public ClusterClient(ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BootstrapServers.Count == 0)
        {
            throw new ArgumentException("at least one bootstrap server is required", nameof(options));
        }
        _options = options;
    }

    public ClientOptions Options => _options;

    /// <summary>
    /// A usable connection to some broker: the current bootstrap connection, or the first bootstrap server that
    /// answers. Throws <see cref="BrokerUnreachableException"/> naming every address tried when none does.
    /// </summary>
    public async Task<BrokerConnection> GetAnyAsync(CancellationToken cancellationToken)
    {
        if (_bootstrap is { IsUsable: true })
        {
            return _bootstrap;
        }
        var failures = new StringBuilder();
        BrokerUnreachableException? last = null;
        foreach (BrokerEndpoint endpoint in _options.BootstrapServers)
        {
            try
            {
                _bootstrap = await ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                return _bootstrap;
            }
            catch (BrokerUnreachableException e)
            {
                last = e;
                failures.Append(failures.Length == 0 ? "" : "; ").Append(e.Message);
            }
        }
        throw new BrokerUnreachableException(failures.ToString(), last!, last!.IsTimeout);
    }

    /// <summary>
    /// Metadata for <paramref name="topics"/> (null: every topic; empty: brokers only), never creating topics.
    /// Remembers the advertised broker addresses for <see cref="GetNodeAsync"/>.
    /// </summary>
    public async Task<MetadataResponse> GetMetadataAsync(IReadOnlyList<string>? topics, CancellationToken cancellationToken)
    {
        BrokerConnection connection = await GetAnyAsync(cancellationToken).ConfigureAwait(false);
        var request = new MetadataRequest { AllowAutoTopicCreation = false };
        if (topics is not null)
        {
            request.Topics = new List<MetadataRequest.Topic>(topics.Count);
            foreach (string name in topics)
            {
                request.Topics.Add(new MetadataRequest.Topic { Name = name });
            }
        }
        MetadataResponse response = await connection.SendAsync(ApiKey.Metadata, request.Write, MetadataResponse.Read,
            cancellationToken).ConfigureAwait(false);
        _nodes.Clear();
        foreach (MetadataResponse.Broker broker in response.Brokers)
        {
            _nodes[broker.NodeId] = new BrokerEndpoint(broker.Host, broker.Port);
        }
        return response;
    }

    /// <summary>
    /// Metadata of one topic, retrying briefly while the broker reports it as being created (LEADER_NOT_AVAILABLE).
    /// Throws <see cref="BrokerErrorException"/> with the topic's error otherwise (e.g. UNKNOWN_TOPIC_OR_PARTITION).
    /// </summary>
    public async Task<MetadataResponse.Topic> GetTopicAsync(string topic, CancellationToken cancellationToken)
    {
        const int Attempts = 25;
        for (int attempt = 1; ; attempt++)
        {
            MetadataResponse response = await GetMetadataAsync([topic], cancellationToken).ConfigureAwait(false);
            MetadataResponse.Topic? found = null;
            foreach (MetadataResponse.Topic t in response.Topics)
            {
                if (t.Name == topic)
                {
                    found = t;
                }
            }
            if (found is null)
            {
                throw new BrokerProtocolException($"the Metadata response does not mention the topic '{topic}' that was asked for");
            }
            bool leaderless = found.ErrorCode == ErrorCode.LeaderNotAvailable;
            foreach (MetadataResponse.Partition p in found.Partitions)
            {
                leaderless |= p.ErrorCode == ErrorCode.LeaderNotAvailable || p.LeaderId < 0;
            }
            if (leaderless && attempt < Attempts)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (found.ErrorCode != ErrorCode.None)
            {
                throw new BrokerErrorException(found.ErrorCode, $"topic '{topic}'");
            }
            return found;
        }
    }

    /// <summary>The advertised address of broker <paramref name="nodeId"/> from the latest Metadata response.</summary>
    public bool TryGetNodeEndpoint(int nodeId, out BrokerEndpoint endpoint) => _nodes.TryGetValue(nodeId, out endpoint);

    /// <summary>The connection to broker <paramref name="nodeId"/> at its advertised address.</summary>
    public async Task<BrokerConnection> GetNodeAsync(int nodeId, CancellationToken cancellationToken)
    {
        if (!_nodes.TryGetValue(nodeId, out BrokerEndpoint endpoint))
        {
            await GetMetadataAsync([], cancellationToken).ConfigureAwait(false);
            if (!_nodes.TryGetValue(nodeId, out endpoint))
            {
                throw new BrokerProtocolException($"broker {nodeId} is not in the cluster's Metadata");
            }
        }
        if (_bootstrap is { IsUsable: true } && _bootstrap.Endpoint == endpoint)
        {
            return _bootstrap;
        }
        if (_connections.TryGetValue(endpoint, out BrokerConnection? existing) && existing.IsUsable)
        {
            return existing;
        }
        BrokerConnection connection = await ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        _connections[endpoint] = connection;
        return connection;
    }

    /// <summary>
    /// ListOffsets for <paramref name="partitions"/> of <paramref name="topic"/>, one request per partition leader.
    /// <paramref name="timestamp"/> is a time in ms or one of <see cref="ListOffsetsRequest.EarliestTimestamp"/> /
    /// <see cref="ListOffsetsRequest.LatestTimestamp"/>. Per-partition errors are returned, not thrown.
    /// </summary>
    public async Task<Dictionary<int, ListOffsetsResponse.Partition>> ListOffsetsAsync(MetadataResponse.Topic topic,
        IReadOnlyList<int> partitions, long timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(partitions);
        string name = topic.Name ?? throw new ArgumentException("the topic has no name", nameof(topic));
        var byLeader = new Dictionary<int, ListOffsetsRequest.Topic>();
        foreach (int index in partitions)
        {
            int leader = LeaderOf(topic, index);
            if (!byLeader.TryGetValue(leader, out ListOffsetsRequest.Topic? requestTopic))
            {
                requestTopic = new ListOffsetsRequest.Topic { Name = name };
                byLeader[leader] = requestTopic;
            }
            requestTopic.Partitions.Add(new ListOffsetsRequest.Partition { PartitionIndex = index, Timestamp = timestamp });
        }
        var result = new Dictionary<int, ListOffsetsResponse.Partition>(partitions.Count);
        foreach (KeyValuePair<int, ListOffsetsRequest.Topic> entry in byLeader)
        {
            BrokerConnection connection = await GetNodeAsync(entry.Key, cancellationToken).ConfigureAwait(false);
            var request = new ListOffsetsRequest();
            request.Topics.Add(entry.Value);
            ListOffsetsResponse response = await connection.SendAsync(ApiKey.ListOffsets, request.Write,
                ListOffsetsResponse.Read, cancellationToken).ConfigureAwait(false);
            foreach (ListOffsetsResponse.Topic t in response.Topics)
            {
                if (t.Name != name)
                {
                    continue;
                }
                foreach (ListOffsetsResponse.Partition p in t.Partitions)
                {
                    result[p.PartitionIndex] = p;
                }
            }
        }
        foreach (int index in partitions)
        {
            if (!result.ContainsKey(index))
            {
                throw new BrokerProtocolException($"the ListOffsets response has no result for partition {index} of '{name}'");
            }
        }
        return result;
    }

    /// <summary>The leader of partition <paramref name="index"/>; an error when the partition is unknown or has none.</summary>
    public static int LeaderOf(MetadataResponse.Topic topic, int index)
    {
        ArgumentNullException.ThrowIfNull(topic);
        foreach (MetadataResponse.Partition p in topic.Partitions)
        {
            if (p.PartitionIndex == index)
            {
                if (p.ErrorCode != ErrorCode.None && p.LeaderId < 0)
                {
                    throw new BrokerErrorException(p.ErrorCode, $"partition {index} of topic '{topic.Name}'");
                }
                if (p.LeaderId < 0)
                {
                    throw new BrokerErrorException(ErrorCode.LeaderNotAvailable, $"partition {index} of topic '{topic.Name}'");
                }
                return p.LeaderId;
            }
        }
        throw new BrokerErrorException(ErrorCode.UnknownTopicOrPartition,
            $"topic '{topic.Name}' has no partition {index} (it has {topic.Partitions.Count})");
    }

    /// <summary>
    /// The controller, where Kafka requires topic administration to go; any broker when Metadata names none.
    /// </summary>
    public async Task<BrokerConnection> GetControllerAsync(CancellationToken cancellationToken)
    {
        MetadataResponse metadata = await GetMetadataAsync([], cancellationToken).ConfigureAwait(false);
        return metadata.ControllerId >= 0 && _nodes.ContainsKey(metadata.ControllerId)
            ? await GetNodeAsync(metadata.ControllerId, cancellationToken).ConfigureAwait(false)
            : await GetAnyAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (BrokerConnection c in _connections.Values)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }
        _connections.Clear();
        if (_bootstrap is not null)
        {
            await _bootstrap.DisposeAsync().ConfigureAwait(false);
            _bootstrap = null;
        }
    }

    private async Task<BrokerConnection> ConnectAsync(BrokerEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (_connections.Remove(endpoint, out BrokerConnection? stale))
        {
            await stale.DisposeAsync().ConfigureAwait(false);
        }
        return await BrokerConnection.ConnectAsync(endpoint, _options, cancellationToken).ConfigureAwait(false);
    }
}
