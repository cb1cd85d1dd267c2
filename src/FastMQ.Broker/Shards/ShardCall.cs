using System;
using System.Threading.Tasks;
using FastMQ.Core;
using FastMQ.Runtime;

namespace FastMQ.Broker.Shards;

/// <summary>
/// Runs a function on a shard from any thread and returns its result as a task (admin and start-up paths only: it
/// allocates). Continuations run asynchronously so they never execute on the shard's thread.
/// </summary>
internal sealed class ShardCall<T> : IShardWork
{
    private readonly Func<Shard, T> _func;
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ShardCall(Func<Shard, T> func) => _func = func;

    public static Task<T> Run(ShardSet shards, ShardId target, Func<Shard, T> func)
    {
        var call = new ShardCall<T>(func);
        shards.Send(target, new ShardMessage(call));
        return call._done.Task;
    }

    public void Execute(Shard shard, in ShardMessage message)
    {
        try
        {
            _done.TrySetResult(_func(shard));
        }
        catch (Exception e)
        {
            _done.TrySetException(e);
        }
    }
}
