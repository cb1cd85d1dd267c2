using System;
using FastMQ.Runtime;

namespace FastMQ.Broker.Groups;

/// <summary>
/// Runs a delegate on a shard. The group APIs are low-rate coordination traffic (joins, heartbeats every few seconds,
/// commits), so they may allocate a closure per request; the produce and fetch paths never use this.
/// </summary>
internal sealed class ShardAction : IShardWork
{
    private readonly Action<Shard> _action;

    private ShardAction(Action<Shard> action) => _action = action;

    /// <summary>Runs <paramref name="action"/> on <paramref name="target"/>: inline when already there, else posted.</summary>
    public static void Run(Shard current, Core.ShardId target, Action<Shard> action)
    {
        if (current.Id == target)
        {
            action(current);
        }
        else
        {
            current.Post(target, new ShardMessage(new ShardAction(action)));
        }
    }

    /// <summary>From any thread (start-up, the thread pool): sends <paramref name="action"/> to <paramref name="target"/>.</summary>
    public static void Send(ShardSet shards, Core.ShardId target, Action<Shard> action) =>
        shards.Send(target, new ShardMessage(new ShardAction(action)));

    public void Execute(Shard shard, in ShardMessage message) => _action(shard);
}
