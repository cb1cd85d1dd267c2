using System;
using System.Collections.Generic;
using FastMQ.Core;
using FastMQ.Broker.Partitions;
using FastMQ.Runtime;

namespace FastMQ.Broker.Requests;

/// <summary>
/// Runs one action per partition on that partition's owner shard, then a continuation back on the origin shard. For
/// low-rate requests (ListOffsets, DeleteRecords, OffsetForLeaderEpoch, admin): it allocates per request, unlike the
/// pooled produce and fetch contexts.
/// </summary>
internal sealed class OwnerFanout : IShardWork
{
    private const int KindRun = 1;
    private const int KindDone = 2;

    private readonly List<(Partition Partition, Action<Partition> Work)> _items = [];
    private readonly ShardId _origin;
    private readonly Action<Shard> _onDone;
    private int _pending;

    private OwnerFanout(ShardId origin, Action<Shard> onDone)
    {
        _origin = origin;
        _onDone = onDone;
    }

    public static OwnerFanout Create(Shard origin, Action<Shard> onDone) => new(origin.Id, onDone);

    /// <summary>Queues <paramref name="work"/> to run on the owner of <paramref name="partition"/>.</summary>
    public void Add(Partition partition, Action<Partition> work) => _items.Add((partition, work));

    /// <summary>Starts everything; the continuation runs on the origin shard when all items are done. Origin shard only.</summary>
    public void Run(Shard shard)
    {
        _pending = _items.Count + 1;
        for (int i = 0; i < _items.Count; i++)
        {
            Partition p = _items[i].Partition;
            if (p.Owner == _origin)
            {
                RunItem(shard, i);
            }
            else
            {
                shard.Post(p.Owner, new ShardMessage(this, KindRun, _origin, i));
            }
        }
        Done(shard);
    }

    public void Execute(Shard shard, in ShardMessage message)
    {
        if (message.Kind == KindRun)
        {
            RunItem(shard, (int)message.Arg0);
        }
        else
        {
            Done(shard);
        }
    }

    private void RunItem(Shard shard, int index)
    {
        (Partition p, Action<Partition> work) = _items[index];
        work(p);
        if (shard.Id == _origin)
        {
            Done(shard);
        }
        else
        {
            shard.Post(_origin, new ShardMessage(this, KindDone, _origin, index));
        }
    }

    private void Done(Shard shard)
    {
        if (--_pending == 0)
        {
            _onDone(shard);
        }
    }
}
