using System;

namespace FastMQ.Runtime.Tests.Support;

/// <summary>Test convenience: a work item running a delegate (allocation-free tests use dedicated classes instead).</summary>
public sealed class ActionWork(Action<Shard, ShardMessage> action) : IShardWork
{
    public void Execute(Shard shard, in ShardMessage message) => action(shard, message);
}
