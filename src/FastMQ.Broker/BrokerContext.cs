using System.Threading;
using FastMQ.Broker.Configuration;
using FastMQ.Broker.Controller;
using FastMQ.Broker.Groups;
using FastMQ.Broker.Metadata;
using FastMQ.Broker.Partitions;
using FastMQ.Broker.Shards;
using FastMQ.Protocol.Messages;
using FastMQ.Runtime;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker;

/// <summary>
/// What every handler on every shard shares: configuration, the shard set, and the current metadata and partition
/// snapshots (immutable, swapped by reference by the controller; read with one volatile load, no locks).
/// </summary>
internal sealed class BrokerContext
{
    private MetadataImage _image = MetadataImage.Empty;
    private PartitionRegistry _partitions = PartitionRegistry.Empty;

    public BrokerContext(BrokerOptions options, ILoggerFactory loggerFactory, string clusterId, ListenerAddress advertised)
    {
        Options = options;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger("FastMQ.Broker");
        ClusterId = clusterId;
        Advertised = advertised;
    }

    public BrokerOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Logger { get; }

    public string ClusterId { get; }

    public int NodeId => Options.NodeId;

    public ListenerAddress Advertised { get; }

    public ApiVersionsTable Versions { get; } = ApiVersionsTable.WithGroups;

    public ShardSet Shards { get; set; } = null!;

    public BrokerShard[] ShardStates { get; set; } = [];

    public TopicController Controller { get; set; } = null!;

    /// <summary>The consumer-group coordinator; null until it has replayed __consumer_offsets (before the listener opens).</summary>
    public GroupCoordinator Groups { get; set; } = null!;

    public MetadataImage Image => Volatile.Read(ref _image);

    public PartitionRegistry Partitions => Volatile.Read(ref _partitions);

    /// <summary>Publishes new snapshots: partitions first, so a topic visible in metadata always has its partitions.</summary>
    public void Publish(PartitionRegistry partitions, MetadataImage image)
    {
        Volatile.Write(ref _partitions, partitions);
        Volatile.Write(ref _image, image);
    }

    public BrokerShard ShardState(Shard shard) => ShardStates[shard.Id.Value];
}
