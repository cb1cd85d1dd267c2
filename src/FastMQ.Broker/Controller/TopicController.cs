using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Broker.Configuration;
using FastMQ.Broker.Metadata;
using FastMQ.Broker.Partitions;
using FastMQ.Broker.Shards;
using FastMQ.Core;
using FastMQ.Protocol.Messages;
using FastMQ.Runtime;
using FastMQ.Storage;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker.Controller;

/// <summary>
/// The single writer of topic metadata: creates, grows and deletes topics, persists their definitions, opens and
/// closes partition logs on their owner shards, and publishes new snapshots. Serialised by one semaphore; runs on the
/// thread pool (admin path), never on a shard thread, and talks to shards through <see cref="ShardCall{T}"/>.
/// </summary>
internal sealed class TopicController : IDisposable
{
    private readonly BrokerContext _broker;
    private readonly MetadataStore _store;
    private readonly ProducerIdAllocator _producerIds;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public TopicController(BrokerContext broker, MetadataStore store, string dataDirectory)
    {
        _broker = broker;
        _store = store;
        _producerIds = new ProducerIdAllocator(Path.Combine(dataDirectory, "__meta", "producer-ids"));
    }

    public readonly record struct Outcome(ErrorCode Error, string? Message, TopicMetadata? Topic);

    /// <summary>Opens every persisted topic (start-up).</summary>
    public async Task LoadAsync()
    {
        MetadataImage image = MetadataImage.Empty;
        PartitionRegistry registry = PartitionRegistry.Empty;
        foreach (TopicMetadata topic in _store.LoadTopics(_broker.Options))
        {
            Partition[] partitions = await OpenPartitionsAsync(topic, 0, topic.PartitionCount, []).ConfigureAwait(false);
            registry = registry.With(topic.Name, partitions);
            image = image.With(topic);
        }
        _broker.Publish(registry, image);
    }

    public async Task<Outcome> CreateTopicAsync(string name, int numPartitions, IEnumerable<KeyValuePair<string, string?>> configs, bool validateOnly)
    {
        string? invalid = TopicNames.Validate(name);
        if (invalid is not null)
        {
            return new Outcome(ErrorCode.InvalidTopicException, invalid, null);
        }
        if (numPartitions == -1)
        {
            numPartitions = _broker.Options.NumPartitions;
        }
        if (numPartitions <= 0 || numPartitions > 100_000)
        {
            return new Outcome(ErrorCode.InvalidPartitions, $"number of partitions must be in [1, 100000], got {numPartitions}", null);
        }
        TopicConfig config;
        try
        {
            config = TopicConfig.Create(_broker.Options, configs);
        }
        catch (BrokerConfigException e)
        {
            return new Outcome(ErrorCode.InvalidConfig, e.Message, null);
        }
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_broker.Image.TryGet(name, out TopicMetadata existing))
            {
                return new Outcome(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.", existing);
            }
            if (validateOnly)
            {
                return new Outcome(ErrorCode.None, null, new TopicMetadata(name, Guid.Empty, numPartitions, config));
            }
            var topic = new TopicMetadata(name, Guid.NewGuid(), numPartitions, config, isInternal: name.StartsWith("__", StringComparison.Ordinal));
            Partition[] partitions = await OpenPartitionsAsync(topic, 0, numPartitions, []).ConfigureAwait(false);
            _store.Save(topic);
            _broker.Publish(_broker.Partitions.With(name, partitions), _broker.Image.With(topic));
            _broker.Logger.LogInformation("Created topic {Topic} with {Partitions} partition(s)", name, numPartitions);
            return new Outcome(ErrorCode.None, null, topic);
        }
        catch (IOException e)
        {
            _broker.Logger.LogError(e, "Creating topic {Topic} failed", name);
            return new Outcome(ErrorCode.KafkaStorageError, e.Message, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<Outcome> CreatePartitionsAsync(string name, int totalCount, bool validateOnly)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_broker.Image.TryGet(name, out TopicMetadata topic) || !_broker.Partitions.TryGetTopic(name, out Partition[] existing))
            {
                return new Outcome(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.", null);
            }
            if (totalCount <= topic.PartitionCount)
            {
                return new Outcome(ErrorCode.InvalidPartitions, $"Topic '{name}' has {topic.PartitionCount} partitions; the new count {totalCount} must be larger.", topic);
            }
            if (totalCount > 100_000)
            {
                return new Outcome(ErrorCode.InvalidPartitions, "at most 100000 partitions", topic);
            }
            if (validateOnly)
            {
                return new Outcome(ErrorCode.None, null, topic);
            }
            TopicMetadata grown = topic.WithPartitions(totalCount);
            Partition[] partitions = await OpenPartitionsAsync(grown, topic.PartitionCount, totalCount, existing).ConfigureAwait(false);
            _store.Save(grown);
            _broker.Publish(_broker.Partitions.With(name, partitions), _broker.Image.With(grown));
            return new Outcome(ErrorCode.None, null, grown);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<Outcome> DeleteTopicAsync(string name)
    {
        if (!_broker.Options.DeleteTopicEnable)
        {
            return new Outcome(ErrorCode.TopicDeletionDisabled, "delete.topic.enable is false", null);
        }
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_broker.Image.TryGet(name, out TopicMetadata topic) || !_broker.Partitions.TryGetTopic(name, out Partition[] partitions))
            {
                return new Outcome(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.", null);
            }
            // Unpublish first so no new request finds it, then close and delete on the owners.
            _broker.Publish(_broker.Partitions.Without(name), _broker.Image.Without(name));
            _store.Delete(name);
            var closing = new List<Task<bool>>();
            foreach (Partition p in partitions)
            {
                closing.Add(ShardCall<bool>.Run(_broker.Shards, p.Owner, shard =>
                {
                    p.IsDeleted = true;
                    _broker.ShardState(shard).RemoveOwned(p);
                    p.Log.Close();
                    Directory.Delete(p.Log.DirectoryPath, recursive: true);
                    return true;
                }));
            }
            await Task.WhenAll(closing).ConfigureAwait(false);
            _broker.Logger.LogInformation("Deleted topic {Topic}", name);
            return new Outcome(ErrorCode.None, null, topic);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<long> AllocateProducerIdAsync() => Task.Run(_producerIds.Next);

    /// <summary>Closes every partition on its owner (graceful shutdown: flush, clean-shutdown markers).</summary>
    public async Task CloseAllAsync()
    {
        var closing = new List<Task<bool>>();
        foreach (Partition[] partitions in _broker.Partitions.All)
        {
            foreach (Partition p in partitions)
            {
                closing.Add(ShardCall<bool>.Run(_broker.Shards, p.Owner, _ =>
                {
                    p.Log.Close();
                    return true;
                }));
            }
        }
        await Task.WhenAll(closing).ConfigureAwait(false);
    }

    public static PartitionLogOptions LogOptions(TopicConfig config, int tailCacheBytes) => new()
    {
        SegmentBytes = Memory.AlignedBuffer.AlignDown(Math.Min(config.SegmentBytes, int.MaxValue - Memory.AlignedBuffer.Alignment + 1)),
        SegmentMaxAgeMs = config.SegmentMs,
        RetentionBytes = config.RetentionBytes,
        RetentionMs = config.RetentionMs,
        MaxBatchBytes = config.MaxMessageBytes,
        WriteBufferBytes = (int)Memory.AlignedBuffer.AlignUp(Math.Max(tailCacheBytes, (long)config.MaxMessageBytes + (2 * Memory.AlignedBuffer.Alignment))),
        CommitPolicy = config.FlushMode switch
        {
            FlushMode.Fsync => CommitPolicy.FsyncEachWrite,
            FlushMode.None => CommitPolicy.None,
            _ => CommitPolicy.Group((int)Math.Min(int.MaxValue, config.FlushIntervalMs), (int)Math.Min(int.MaxValue, config.FlushIntervalBytes)),
        },
    };

    private async Task<Partition[]> OpenPartitionsAsync(TopicMetadata topic, int from, int to, Partition[] existing)
    {
        var result = new Partition[to];
        Array.Copy(existing, result, Math.Min(existing.Length, from));
        var opening = new Task<Partition>[to - from];
        for (int i = from; i < to; i++)
        {
            int index = i;
            ShardId owner = _broker.Shards.OwnerOf(topic.Name, new PartitionId(index));
            string dir = Path.Combine(_broker.Options.DataDirectory, $"{topic.Name}-{index}");
            opening[index - from] = ShardCall<Partition>.Run(_broker.Shards, owner, shard => OpenOnOwner(shard, topic, index, dir));
        }
        Partition[] opened = await Task.WhenAll(opening).ConfigureAwait(false);
        Array.Copy(opened, 0, result, from, opened.Length);
        return result;
    }

    private Partition OpenOnOwner(Shard shard, TopicMetadata topic, int index, string dir)
    {
        BrokerShard state = _broker.ShardState(shard);
        PartitionLog log = PartitionLog.Open(dir, LogOptions(topic.Config, _broker.Options.TailCacheBytes), state.Io,
            _broker.LoggerFactory.CreateLogger("FastMQ.Storage"));
        var partition = new Partition(topic, index, shard.Id, log);
        // Idempotent-producer state survives restarts: rebuild it from the batch headers of the active segment onwards.
        log.VisitBatchHeaders(log.LogStartOffset, (header, _, _) =>
        {
            if (header.ProducerId >= 0)
            {
                partition.Producers.Record(header.ProducerId, header.ProducerEpoch, header.BaseSequence, header.LastOffsetDelta, header.BaseOffset);
            }
        });
        log.TrySetHighWatermark(log.AcknowledgeableOffset);
        state.AddOwned(partition);
        return partition;
    }

    public void Dispose()
    {
        _gate.Dispose();
        _producerIds.Dispose();
    }
}
