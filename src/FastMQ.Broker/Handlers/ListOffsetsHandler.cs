using FastMQ.Broker.Partitions;
using FastMQ.Broker.Requests;
using FastMQ.Core;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;
using FastMQ.Runtime;
using FastMQ.Storage;

namespace FastMQ.Broker.Handlers;

/// <summary>
/// ListOffsets (2), versions 1–7 (kafka-protocol.md §6.3): -1 latest (high watermark), -2 earliest (log start),
/// -3 the batch with the largest timestamp, otherwise the first batch whose max timestamp is at or after the one given.
/// Each partition is answered on its owner shard.
/// </summary>
internal static class ListOffsetsHandler
{
    public const long Latest = -1;
    public const long Earliest = -2;
    public const long MaxTimestamp = -3;

    public static void Handle(BrokerContext broker, Shard shard, RequestContext ctx)
    {
        var reader = new KafkaReader(ctx.Body);
        ListOffsetsRequest request = ListOffsetsRequest.Read(ref reader, ctx.ApiVersion);
        var response = new ListOffsetsResponse();
        PartitionRegistry registry = broker.Partitions;
        var fanout = OwnerFanout.Create(shard, _ => ctx.RespondWith(response, static (ref KafkaWriter w, ListOffsetsResponse r, short v) => r.Write(ref w, v)));
        foreach (ListOffsetsRequest.Topic topic in request.Topics)
        {
            var rt = new ListOffsetsResponse.Topic { Name = topic.Name };
            response.Topics.Add(rt);
            registry.TryGetTopic(topic.Name, out Partition[]? partitions);
            foreach (ListOffsetsRequest.Partition part in topic.Partitions)
            {
                var rp = new ListOffsetsResponse.Partition { PartitionIndex = part.PartitionIndex };
                rt.Partitions.Add(rp);
                if (partitions is null || (uint)part.PartitionIndex >= (uint)partitions.Length)
                {
                    rp.ErrorCode = ErrorCode.UnknownTopicOrPartition;
                    continue;
                }
                long timestamp = part.Timestamp;
                fanout.Add(partitions[part.PartitionIndex], p => Answer(p, timestamp, rp));
            }
        }
        fanout.Run(shard);
    }

    private static void Answer(Partition p, long timestamp, ListOffsetsResponse.Partition rp)
    {
        if (p.IsDeleted)
        {
            rp.ErrorCode = ErrorCode.UnknownTopicOrPartition;
            return;
        }
        PartitionLog log = p.Log;
        rp.LeaderEpoch = p.LeaderEpoch.Value;
        switch (timestamp)
        {
            case Latest:
                rp.Offset = log.HighWatermark.Value;
                break;
            case Earliest:
                rp.Offset = log.LogStartOffset.Value;
                break;
            case MaxTimestamp:
                if (log.TryGetMaxTimestamp(out Offset at, out long ts))
                {
                    rp.Offset = at.Value;
                    rp.Timestamp = ts;
                }
                break;
            default:
                if (timestamp < 0)
                {
                    rp.ErrorCode = ErrorCode.InvalidRequest;
                }
                else if (log.TryFindOffsetByTimestamp(timestamp, out Offset found, out long foundTs))
                {
                    rp.Offset = found.Value;
                    rp.Timestamp = foundTs;
                }
                break;
        }
    }
}
