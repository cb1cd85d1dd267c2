using System.Threading;
using FastMQ.Core;
using FastMQ.Network;
using FastMQ.Runtime;

namespace FastMQ.Broker.Requests;

/// <summary>
/// Connects the network layer to the shards: each accepted connection is given a shard (round robin), and each of its
/// frames is posted to that shard as a <see cref="RequestContext"/>. Runs on the connections' receive threads.
/// </summary>
internal sealed class BrokerFrameHandler(BrokerContext broker) : IFrameHandler
{
    private int _next;

    public void OnConnected(IKafkaConnection connection)
    {
        uint n = (uint)Interlocked.Increment(ref _next);
        connection.ShardIndex = (int)(n % (uint)broker.Shards.Count);
    }

    public void OnFrame(IKafkaConnection connection, FrameLease frame)
    {
        RequestContext ctx = RequestContext.Rent(broker, connection, frame);
        // Blocks this receive thread while the shard's mailbox is full: back-pressure on the connection, never a drop.
        broker.Shards.Send(new ShardId(connection.ShardIndex), new ShardMessage(ctx));
    }

    public void OnClosed(IKafkaConnection connection, string reason)
    {
        // Requests already posted finish normally; their responses are dropped by the closed connection.
    }
}
