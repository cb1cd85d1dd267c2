using System;
using System.Collections.Generic;
using System.Threading;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Producing;

/// <summary>
/// The producer's view of the cluster: topics with their partitions and leaders, and broker addresses. Fetched
/// through the admin <see cref="ClusterClient"/> (control plane: may allocate and block).
/// </summary>
/// <remarks>
/// Readers on the produce path look topics up in an immutable dictionary replaced by reference when a topic is added,
/// so lookups take no lock. Fetching and refreshing are serialised by one lock. Leaders are updated in place
/// (<see cref="PartitionState.LeaderId"/> is volatile). A topic's partition count is read once (growth is not followed).
/// </remarks>
internal sealed class ProducerMetadata : IDisposable
{
    private readonly ClusterClient _cluster;
    private readonly object _gate = new();
    private readonly Dictionary<int, BrokerEndpoint> _endpoints = [];
    private Dictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private PartitionState[] _partitions = [];
    private int _nextSlot;

    public ProducerMetadata(ClientOptions options)
    {
        _cluster = new ClusterClient(options);
    }

    public ClusterClient Cluster => _cluster;

    /// <summary>Every partition of every known topic, grouped by topic; replaced by reference when a topic is added.</summary>
    public PartitionState[] Partitions => Volatile.Read(ref _partitions);

    /// <summary>The topic, fetching its metadata first if it is new. Throws <see cref="ProduceException"/> for unknown topics.</summary>
    public TopicState GetTopic(string name)
    {
        if (Volatile.Read(ref _topics).TryGetValue(name, out TopicState? topic))
        {
            return topic;
        }
        return Fetch(name);
    }

    /// <summary>The address of node <paramref name="nodeId"/>, if metadata has named it.</summary>
    public bool TryGetEndpoint(int nodeId, out BrokerEndpoint endpoint)
    {
        lock (_gate)
        {
            return _endpoints.TryGetValue(nodeId, out endpoint);
        }
    }

    /// <summary>Re-reads leaders of every known topic (after NOT_LEADER, UNKNOWN_TOPIC or a lost connection).</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            foreach (TopicState topic in _topics.Values)
            {
                MetadataResponse.Topic described = Describe(topic.Name);
                Apply(topic, described);
            }
        }
    }

    /// <summary>Asks any broker for a producer id and epoch (idempotent producer).</summary>
    public (long ProducerId, short Epoch) InitProducerId(TimeSpan timeout) => InitProducerId(-1, -1, timeout);

    /// <summary>
    /// Asks any broker for the next epoch of <paramref name="producerId"/> (KIP-360: InitProducerId v3+ carries the
    /// current id and epoch; the answer is the same id with the epoch plus one, or a new id once the epoch is used up).
    /// With -1/-1, or from a broker without v3, the answer is a new id at epoch 0, which restarts sequences just as well.
    /// </summary>
    public (long ProducerId, short Epoch) InitProducerId(long producerId, short producerEpoch, TimeSpan timeout)
    {
        var request = new InitProducerIdRequest
        {
            TransactionalId = null,
            TransactionTimeoutMs = -1,
            ProducerId = producerId,
            ProducerEpoch = producerEpoch,
        };
        DateTime deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (true)
            {
                BrokerConnection connection = _cluster.GetAnyAsync(CancellationToken.None).GetAwaiter().GetResult();
                InitProducerIdResponse response = connection.SendAsync(ApiKey.InitProducerId, request.Write,
                    InitProducerIdResponse.Read, CancellationToken.None).GetAwaiter().GetResult();
                if (response.ErrorCode == ErrorCode.None)
                {
                    return (response.ProducerId, response.ProducerEpoch);
                }
                bool retriable = response.ErrorCode is ErrorCode.CoordinatorNotAvailable or ErrorCode.CoordinatorLoadInProgress
                    or ErrorCode.NotCoordinator;
                if (!retriable || DateTime.UtcNow > deadline)
                {
                    throw new ProduceException(response.ErrorCode,
                        $"InitProducerId failed: {KafkaErrorNames.Of(response.ErrorCode)}");
                }
                Thread.Sleep(100);
            }
        }
    }

    public void Dispose() => _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private TopicState Fetch(string name)
    {
        lock (_gate)
        {
            if (_topics.TryGetValue(name, out TopicState? existing))
            {
                return existing;
            }
            MetadataResponse.Topic described = Describe(name);
            var topic = new TopicState(name, described.Partitions.Count, _nextSlot);
            _nextSlot += described.Partitions.Count;
            Apply(topic, described);
            var topics = new Dictionary<string, TopicState>(_topics, StringComparer.Ordinal) { [name] = topic };
            var partitions = new PartitionState[_partitions.Length + topic.Partitions.Length];
            _partitions.CopyTo(partitions, 0);
            topic.Partitions.CopyTo(partitions, _partitions.Length);
            // Release: readers on other threads see fully built states.
            Volatile.Write(ref _partitions, partitions);
            Volatile.Write(ref _topics, topics);
            return topic;
        }
    }

    private MetadataResponse.Topic Describe(string name)
    {
        try
        {
            return _cluster.GetTopicAsync(name, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (BrokerErrorException e)
        {
            throw new ProduceException(e.ErrorCode, $"cannot produce to topic '{name}': {e.Message}", e);
        }
        catch (ClientException e)
        {
            throw new ProduceException(ErrorCode.UnknownServerError, $"cannot read metadata of topic '{name}': {e.Message}", e);
        }
    }

    private void Apply(TopicState topic, MetadataResponse.Topic described)
    {
        foreach (MetadataResponse.Partition p in described.Partitions)
        {
            if (p.PartitionIndex >= 0 && p.PartitionIndex < topic.Partitions.Length)
            {
                topic.Partitions[p.PartitionIndex].LeaderId = p.LeaderId;
                if (p.LeaderId >= 0 && _cluster.TryGetNodeEndpoint(p.LeaderId, out BrokerEndpoint endpoint))
                {
                    _endpoints[p.LeaderId] = endpoint;
                }
            }
        }
    }
}
