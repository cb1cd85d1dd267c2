using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using FastMQ.Broker.Configuration;
using FastMQ.Broker.Controller;
using FastMQ.Broker.Metadata;
using FastMQ.Broker.Partitions;
using FastMQ.Broker.Requests;
using FastMQ.Broker.Shards;
using FastMQ.Core;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using FastMQ.Runtime;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker.Handlers;

/// <summary>
/// The low-rate APIs: CreateTopics, DeleteTopics, CreatePartitions, InitProducerId, DescribeConfigs, DeleteRecords,
/// OffsetForLeaderEpoch. They allocate freely; metadata changes run on the controller (thread pool) and the response is
/// written back on the connection's shard.
/// </summary>
internal static class AdminHandlers
{
    public static void Handle(BrokerContext broker, Shard shard, RequestContext ctx)
    {
        var reader = new KafkaReader(ctx.Body);
        switch (ctx.ApiKey)
        {
            case ApiKey.CreateTopics:
                AsyncRequests.Start(broker, ctx, CreateTopicsRequest.Read(ref reader, ctx.ApiVersion), CreateTopicsAsync);
                break;
            case ApiKey.DeleteTopics:
                AsyncRequests.Start(broker, ctx, DeleteTopicsRequest.Read(ref reader, ctx.ApiVersion), DeleteTopicsAsync);
                break;
            case ApiKey.CreatePartitions:
                AsyncRequests.Start(broker, ctx, CreatePartitionsRequest.Read(ref reader, ctx.ApiVersion), CreatePartitionsAsync);
                break;
            case ApiKey.InitProducerId:
                AsyncRequests.Start(broker, ctx, InitProducerIdRequest.Read(ref reader, ctx.ApiVersion), InitProducerIdAsync);
                break;
            case ApiKey.DescribeConfigs:
                DescribeConfigs(broker, ctx, DescribeConfigsRequest.Read(ref reader, ctx.ApiVersion));
                break;
            case ApiKey.DeleteRecords:
                DeleteRecords(broker, shard, ctx, DeleteRecordsRequest.Read(ref reader, ctx.ApiVersion));
                break;
            case ApiKey.OffsetForLeaderEpoch:
                OffsetForLeaderEpoch(broker, shard, ctx, OffsetForLeaderEpochRequest.Read(ref reader, ctx.ApiVersion));
                break;
            default:
                ctx.Fail($"no handler for {ctx.ApiKey}");
                break;
        }
    }

    /// <summary>Writes the response on the connection's shard (from a controller continuation).</summary>
    private static Task RespondOnShard<T>(BrokerContext broker, RequestContext ctx, T response, BodyWriter<T> write) =>
        ShardCall<bool>.Run(broker.Shards, ctx.Shard, _ =>
        {
            ctx.RespondWith(response, write);
            return true;
        });

    private static async Task CreateTopicsAsync(BrokerContext broker, RequestContext ctx, CreateTopicsRequest request)
    {
        var response = new CreateTopicsResponse();
        foreach (CreateTopicsRequest.Topic t in request.Topics)
        {
            var result = new CreateTopicsResponse.Topic { Name = t.Name };
            response.Topics.Add(result);
            if (t.ReplicationFactor is not (-1 or 1))
            {
                result.ErrorCode = ErrorCode.InvalidReplicationFactor;
                result.ErrorMessage = $"replication factor {t.ReplicationFactor} is larger than the 1 available broker";
                continue;
            }
            if (t.Assignments.Count > 0)
            {
                result.ErrorCode = ErrorCode.InvalidRequest;
                result.ErrorMessage = "manual replica assignment is not supported on a single node";
                continue;
            }
            var configs = new List<KeyValuePair<string, string?>>();
            foreach (CreateTopicsRequest.Config c in t.Configs)
            {
                configs.Add(new(c.Name, c.Value));
            }
            TopicController.Outcome outcome;
            try
            {
                outcome = await broker.Controller.CreateTopicAsync(t.Name, t.NumPartitions, configs, request.ValidateOnly).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                broker.Logger.LogError(e, "CreateTopics {Topic} failed", t.Name);
                outcome = new TopicController.Outcome(ErrorCode.UnknownServerError, e.Message, null);
            }
            result.ErrorCode = outcome.Error;
            result.ErrorMessage = outcome.Message;
            if (outcome.Error == ErrorCode.None && outcome.Topic is not null)
            {
                result.TopicId = outcome.Topic.TopicId;
                result.NumPartitions = outcome.Topic.PartitionCount;
                result.ReplicationFactor = 1;
            }
        }
        await RespondOnShard(broker, ctx, response, static (ref KafkaWriter w, CreateTopicsResponse r, short v) => r.Write(ref w, v)).ConfigureAwait(false);
    }

    private static async Task DeleteTopicsAsync(BrokerContext broker, RequestContext ctx, DeleteTopicsRequest request)
    {
        var response = new DeleteTopicsResponse();
        foreach (DeleteTopicsRequest.Topic t in request.Topics)
        {
            string? name = t.Name;
            if (name is null)
            {
                foreach (TopicMetadata m in broker.Image.Topics)
                {
                    if (m.TopicId == t.TopicId)
                    {
                        name = m.Name;
                    }
                }
            }
            var result = new DeleteTopicsResponse.Result { Name = name, TopicId = t.TopicId };
            response.Responses.Add(result);
            if (name is null)
            {
                result.ErrorCode = ErrorCode.UnknownTopicId;
                continue;
            }
            TopicController.Outcome outcome;
            try
            {
                outcome = await broker.Controller.DeleteTopicAsync(name).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                broker.Logger.LogError(e, "DeleteTopics {Topic} failed", name);
                outcome = new TopicController.Outcome(ErrorCode.UnknownServerError, e.Message, null);
            }
            result.ErrorCode = outcome.Error;
            result.ErrorMessage = outcome.Message;
            if (outcome.Topic is not null)
            {
                result.TopicId = outcome.Topic.TopicId;
            }
        }
        await RespondOnShard(broker, ctx, response, static (ref KafkaWriter w, DeleteTopicsResponse r, short v) => r.Write(ref w, v)).ConfigureAwait(false);
    }

    private static async Task CreatePartitionsAsync(BrokerContext broker, RequestContext ctx, CreatePartitionsRequest request)
    {
        var response = new CreatePartitionsResponse();
        foreach (CreatePartitionsRequest.Topic t in request.Topics)
        {
            var result = new CreatePartitionsResponse.Result { Name = t.Name };
            response.Results.Add(result);
            TopicController.Outcome outcome;
            try
            {
                outcome = await broker.Controller.CreatePartitionsAsync(t.Name, t.Count, request.ValidateOnly).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                broker.Logger.LogError(e, "CreatePartitions {Topic} failed", t.Name);
                outcome = new TopicController.Outcome(ErrorCode.UnknownServerError, e.Message, null);
            }
            result.ErrorCode = outcome.Error;
            result.ErrorMessage = outcome.Message;
        }
        await RespondOnShard(broker, ctx, response, static (ref KafkaWriter w, CreatePartitionsResponse r, short v) => r.Write(ref w, v)).ConfigureAwait(false);
    }

    private static async Task InitProducerIdAsync(BrokerContext broker, RequestContext ctx, InitProducerIdRequest request)
    {
        var response = new InitProducerIdResponse();
        if (request.TransactionalId is not null)
        {
            // Transactions are not implemented yet; refuse rather than pretend (librdkafka reports this to the application).
            response.ErrorCode = ErrorCode.InvalidRequest;
        }
        else if (request.ProducerId >= 0 && request.ProducerEpoch >= 0)
        {
            // KIP-360: the client asks to bump its epoch and keep its id.
            response.ProducerId = request.ProducerId;
            response.ProducerEpoch = request.ProducerEpoch == short.MaxValue ? (short)0 : (short)(request.ProducerEpoch + 1);
            if (response.ProducerEpoch == 0)
            {
                response.ProducerId = await broker.Controller.AllocateProducerIdAsync().ConfigureAwait(false);
            }
        }
        else
        {
            response.ProducerId = await broker.Controller.AllocateProducerIdAsync().ConfigureAwait(false);
            response.ProducerEpoch = 0;
        }
        await RespondOnShard(broker, ctx, response, static (ref KafkaWriter w, InitProducerIdResponse r, short v) => r.Write(ref w, v)).ConfigureAwait(false);
    }

    private const sbyte ResourceTopic = 2;
    private const sbyte ResourceBroker = 4;
    private const sbyte SourceTopicConfig = 1;
    private const sbyte SourceStaticBroker = 4;
    private const sbyte SourceDefault = 5;

    private static void DescribeConfigs(BrokerContext broker, RequestContext ctx, DescribeConfigsRequest request)
    {
        var response = new DescribeConfigsResponse();
        foreach (DescribeConfigsRequest.Resource r in request.Resources)
        {
            var result = new DescribeConfigsResponse.Result { ResourceType = r.ResourceType, ResourceName = r.ResourceName };
            response.Results.Add(result);
            if (r.ResourceType == ResourceTopic)
            {
                if (!broker.Image.TryGet(r.ResourceName, out TopicMetadata topic))
                {
                    result.ErrorCode = ErrorCode.UnknownTopicOrPartition;
                    result.ErrorMessage = $"Topic '{r.ResourceName}' does not exist.";
                    continue;
                }
                foreach (BrokerSetting s in BrokerSettings.All)
                {
                    if (s.TopicName is null || !Wanted(r, s.TopicName))
                    {
                        continue;
                    }
                    bool own = topic.Config.Overrides.TryGetValue(s.TopicName, out string? value);
                    result.Configs.Add(new DescribeConfigsResponse.Config
                    {
                        Name = s.TopicName,
                        Value = own ? value : broker.Options.RawValue(s.Name),
                        ConfigSource = own ? SourceTopicConfig : broker.Options.IsDefault(s.Name) ? SourceDefault : SourceStaticBroker,
                        ReadOnly = false,
                    });
                }
            }
            else if (r.ResourceType == ResourceBroker)
            {
                foreach (BrokerSetting s in BrokerSettings.All)
                {
                    if (!Wanted(r, s.Name))
                    {
                        continue;
                    }
                    result.Configs.Add(new DescribeConfigsResponse.Config
                    {
                        Name = s.Name,
                        Value = broker.Options.RawValue(s.Name),
                        ConfigSource = broker.Options.IsDefault(s.Name) ? SourceDefault : SourceStaticBroker,
                        ReadOnly = true,
                        Documentation = request.IncludeDocumentation ? s.Description : null,
                    });
                }
            }
            else
            {
                result.ErrorCode = ErrorCode.InvalidRequest;
                result.ErrorMessage = $"resource type {r.ResourceType} is not supported";
            }
        }
        ctx.RespondWith(response, static (ref KafkaWriter w, DescribeConfigsResponse r, short v) => r.Write(ref w, v));
    }

    private static bool Wanted(DescribeConfigsRequest.Resource r, string name) => r.ConfigurationKeys is null || r.ConfigurationKeys.Contains(name);

    private static void DeleteRecords(BrokerContext broker, Shard shard, RequestContext ctx, DeleteRecordsRequest request)
    {
        var response = new DeleteRecordsResponse();
        var fanout = OwnerFanout.Create(shard, _ => ctx.RespondWith(response, static (ref KafkaWriter w, DeleteRecordsResponse r, short v) => r.Write(ref w, v)));
        foreach (DeleteRecordsRequest.Topic t in request.Topics)
        {
            var rt = new DeleteRecordsResponse.Topic { Name = t.Name };
            response.Topics.Add(rt);
            bool known = broker.Partitions.TryGetTopic(t.Name, out Partition[] partitions);
            foreach (DeleteRecordsRequest.Partition part in t.Partitions)
            {
                var rp = new DeleteRecordsResponse.Partition { PartitionIndex = part.PartitionIndex };
                rt.Partitions.Add(rp);
                if (!known || (uint)part.PartitionIndex >= (uint)partitions.Length)
                {
                    rp.ErrorCode = ErrorCode.UnknownTopicOrPartition;
                    continue;
                }
                long offset = part.Offset;
                fanout.Add(partitions[part.PartitionIndex], p =>
                {
                    // -1 means "up to the high watermark" (Kafka's DeleteRecords convention).
                    long target = offset == -1 ? p.Log.HighWatermark.Value : offset;
                    if (target < 0 || target > p.Log.HighWatermark.Value)
                    {
                        rp.ErrorCode = ErrorCode.OffsetOutOfRange;
                    }
                    else
                    {
                        p.Log.TryAdvanceLogStartOffset(new Offset(target));
                    }
                    rp.LowWatermark = p.Log.LogStartOffset.Value;
                });
            }
        }
        fanout.Run(shard);
    }

    private static void OffsetForLeaderEpoch(BrokerContext broker, Shard shard, RequestContext ctx, OffsetForLeaderEpochRequest request)
    {
        var response = new OffsetForLeaderEpochResponse();
        var fanout = OwnerFanout.Create(shard, _ => ctx.RespondWith(response, static (ref KafkaWriter w, OffsetForLeaderEpochResponse r, short v) => r.Write(ref w, v)));
        foreach (OffsetForLeaderEpochRequest.Topic t in request.Topics)
        {
            var rt = new OffsetForLeaderEpochResponse.Topic { Name = t.Name };
            response.Topics.Add(rt);
            bool known = broker.Partitions.TryGetTopic(t.Name, out Partition[] partitions);
            foreach (OffsetForLeaderEpochRequest.Partition part in t.Partitions)
            {
                var rp = new OffsetForLeaderEpochResponse.Partition { PartitionIndex = part.PartitionIndex };
                rt.Partitions.Add(rp);
                if (!known || (uint)part.PartitionIndex >= (uint)partitions.Length)
                {
                    rp.ErrorCode = ErrorCode.UnknownTopicOrPartition;
                    continue;
                }
                int epoch = part.LeaderEpoch;
                int current = part.CurrentLeaderEpoch;
                fanout.Add(partitions[part.PartitionIndex], p =>
                {
                    // One epoch (0) on a single node: asking for it or a later one ends at the log end (§2.1).
                    if (current > p.LeaderEpoch.Value)
                    {
                        rp.ErrorCode = ErrorCode.UnknownLeaderEpoch;
                    }
                    else if (epoch < p.LeaderEpoch.Value)
                    {
                        rp.LeaderEpoch = -1;
                        rp.EndOffset = -1;
                    }
                    else
                    {
                        rp.LeaderEpoch = p.LeaderEpoch.Value;
                        rp.EndOffset = p.Log.LogEndOffset.Value;
                    }
                });
            }
        }
        fanout.Run(shard);
    }
}
