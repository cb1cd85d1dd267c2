using System.Collections.Generic;
using System.Threading.Tasks;
using FastMQ.Broker.Metadata;
using FastMQ.Broker.Requests;
using FastMQ.Broker.Shards;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using FastMQ.Runtime;

namespace FastMQ.Broker.Handlers;

/// <summary>
/// Metadata (3), versions 0–12: this broker at its advertised address, every requested topic with its partitions
/// (leader = this node, leader epoch 0). Topics a client asks for that do not exist are created when the request allows
/// it and <c>auto.create.topics.enable</c> is on (kafka-protocol.md §8.1), synchronously, so the answer already lists
/// their partitions; never for an "all topics" request.
/// </summary>
internal static class MetadataHandler
{
    public static void Handle(BrokerContext broker, Shard shard, RequestContext ctx)
    {
        var reader = new KafkaReader(ctx.Body);
        MetadataRequest request = MetadataRequest.Read(ref reader, ctx.ApiVersion);
        bool all = request.Topics is null || (ctx.ApiVersion == 0 && request.Topics.Count == 0);
        var toCreate = new List<string>();
        if (!all && broker.Options.AutoCreateTopics && (ctx.ApiVersion < 4 || request.AllowAutoTopicCreation))
        {
            foreach (MetadataRequest.Topic t in request.Topics!)
            {
                if (t.Name is not null && !broker.Image.TryGet(t.Name, out _) && TopicNames.Validate(t.Name) is null)
                {
                    toCreate.Add(t.Name);
                }
            }
        }
        if (toCreate.Count == 0)
        {
            Respond(broker, ctx, request, all);
            return;
        }
        AsyncRequests.Start(broker, ctx, (request, toCreate), static (b, c, s) => CreateThenRespondAsync(b, c, s.request, s.toCreate));
    }

    private static async Task CreateThenRespondAsync(BrokerContext broker, RequestContext ctx, MetadataRequest request, List<string> names)
    {
        foreach (string name in names)
        {
            try
            {
                await broker.Controller.CreateTopicAsync(name, -1, [], validateOnly: false).ConfigureAwait(false);
            }
            catch (System.Exception e)
            {
                // The answer then reports the topic as unknown; the client retries.
                Microsoft.Extensions.Logging.LoggerExtensions.LogError(broker.Logger, e, "Auto-creating topic {Topic} failed", name);
            }
        }
        await ShardCall<bool>.Run(broker.Shards, ctx.Shard, _ =>
        {
            Respond(broker, ctx, request, all: false);
            return true;
        }).ConfigureAwait(false);
    }

    private static void Respond(BrokerContext broker, RequestContext ctx, MetadataRequest request, bool all)
    {
        MetadataImage image = broker.Image;
        var response = new MetadataResponse
        {
            ClusterId = broker.ClusterId,
            ControllerId = broker.NodeId,
        };
        response.Brokers.Add(new MetadataResponse.Broker { NodeId = broker.NodeId, Host = broker.Advertised.Host, Port = broker.Advertised.Port });
        if (all)
        {
            foreach (TopicMetadata topic in image.Topics)
            {
                response.Topics.Add(Describe(broker, topic));
            }
        }
        else
        {
            foreach (MetadataRequest.Topic t in request.Topics!)
            {
                if (t.Name is not null && image.TryGet(t.Name, out TopicMetadata topic))
                {
                    response.Topics.Add(Describe(broker, topic));
                }
                else
                {
                    string? invalid = t.Name is null ? "null name" : TopicNames.Validate(t.Name);
                    response.Topics.Add(new MetadataResponse.Topic
                    {
                        Name = t.Name,
                        TopicId = t.TopicId,
                        ErrorCode = invalid is null ? ErrorCode.UnknownTopicOrPartition : ErrorCode.InvalidTopicException,
                    });
                }
            }
        }
        ctx.RespondWith(response, static (ref KafkaWriter w, MetadataResponse r, short v) => r.Write(ref w, v));
    }

    private static MetadataResponse.Topic Describe(BrokerContext broker, TopicMetadata topic)
    {
        var t = new MetadataResponse.Topic { Name = topic.Name, TopicId = topic.TopicId, IsInternal = topic.IsInternal };
        int[] self = [broker.NodeId];
        for (int i = 0; i < topic.PartitionCount; i++)
        {
            t.Partitions.Add(new MetadataResponse.Partition
            {
                PartitionIndex = i,
                LeaderId = broker.NodeId,
                LeaderEpoch = 0,
                ReplicaNodes = self,
                IsrNodes = self,
            });
        }
        return t;
    }
}
