using FastMQ.Broker.Partitions;
using FastMQ.Core;
using FastMQ.Runtime;

namespace FastMQ.Broker.Handlers;

/// <summary>
/// The fan-out shared by the pooled produce and fetch contexts: run a step for each of a request's partitions on the
/// partition's owner shard (inline when that is the request's own shard, else by a mailbox message), collect the
/// completions back on the request's shard, and call <see cref="OnAllDone"/> once every slot has reported.
/// </summary>
/// <remarks>
/// Threading: <see cref="Origin"/> is the request's shard; <see cref="RunOnOwner"/> runs on owner shards and touches only
/// its slot; everything else runs on the origin. Mailbox messages order the slot writes. <see cref="Generation"/>
/// changes whenever a context is reused or restarts a round, so late messages of an earlier round are ignored.
/// Allocation-free: no closures, one virtual call per slot.
/// </remarks>
internal abstract class PartitionFanout : IShardWork
{
    protected const int KindRun = 1;
    protected const int KindDone = 2;

    private int _pending;

    protected ShardId Origin { get; set; }

    protected long Generation { get; set; }

    protected abstract int SlotCount { get; }

    /// <summary>The partition slot <paramref name="slot"/> runs on, or null when it has nothing to run (already failed).</summary>
    protected abstract Partition? SlotPartition(int slot);

    /// <summary>On the owner shard: the slot's step; it must end with <see cref="ReportDone"/>, now or later.</summary>
    protected abstract void RunOnOwner(Shard shard, int slot);

    /// <summary>On the origin: every slot of the round has reported.</summary>
    protected abstract void OnAllDone(Shard shard);

    /// <summary>On the origin, for message kinds other than run/done.</summary>
    protected virtual void OnMessage(Shard shard, in ShardMessage message)
    {
    }

    /// <summary>Starts a round: every slot with a partition runs on its owner. Origin shard only.</summary>
    protected void RunAll(Shard shard)
    {
        // Count every slot before starting any, so an inline completion cannot finish the round early.
        _pending = 1;
        for (int i = 0; i < SlotCount; i++)
        {
            if (SlotPartition(i) is not null)
            {
                _pending++;
            }
        }
        for (int i = 0; i < SlotCount; i++)
        {
            Partition? p = SlotPartition(i);
            if (p is null)
            {
                continue;
            }
            if (p.Owner == Origin)
            {
                RunOnOwner(shard, i);
            }
            else
            {
                shard.Post(p.Owner, new ShardMessage(this, KindRun, Origin, i, Generation));
            }
        }
        SlotFinished(shard);
    }

    /// <summary>On the owner shard: the slot is done; tells the origin.</summary>
    protected void ReportDone(Shard shard, int slot)
    {
        if (shard.Id == Origin)
        {
            SlotFinished(shard);
        }
        else
        {
            shard.Post(Origin, new ShardMessage(this, KindDone, Origin, slot, Generation));
        }
    }

    public void Execute(Shard shard, in ShardMessage message)
    {
        if (message.Arg1 != Generation)
        {
            return;
        }
        switch (message.Kind)
        {
            case KindRun:
                RunOnOwner(shard, (int)message.Arg0);
                break;
            case KindDone:
                SlotFinished(shard);
                break;
            default:
                OnMessage(shard, message);
                break;
        }
    }

    private void SlotFinished(Shard shard)
    {
        if (--_pending == 0)
        {
            OnAllDone(shard);
        }
    }
}
