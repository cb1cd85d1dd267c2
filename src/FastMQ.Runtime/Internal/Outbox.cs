using System.Threading;
using Microsoft.Extensions.Logging;

namespace FastMQ.Runtime.Internal;

/// <summary>
/// Messages a shard could not put into another shard's full mailbox, one FIFO per target, retried every loop turn.
/// </summary>
/// <remarks>
/// Why not block like an external sender: two shards that each wait on the other's full mailbox would never drain
/// their own, a deadlock. A shard therefore never waits on another; it parks the message here and keeps running, and
/// later messages to the same target queue behind it so per-sender order holds. The outbox is bounded only by memory:
/// admission control (in-flight limits per connection) belongs to the layers above, which can read
/// <see cref="Shard.OutboxPending"/>. Owned by one shard; single-threaded.
/// </remarks>
internal sealed class Outbox
{
    // Allocated up front for every target (40 bytes a message, 2.5 KB per target) so the first back-pressure episode
    // does not allocate on the shard; deeper backlogs double a queue once and keep it.
    private const int InitialQueueCapacity = 64;

    private readonly MessageQueue[] _queues;
    private int _pending;

    public Outbox(int shardCount)
    {
        _queues = new MessageQueue[shardCount];
        for (int i = 0; i < shardCount; i++)
        {
            _queues[i] = new MessageQueue(InitialQueueCapacity);
        }
    }

    /// <summary>Messages waiting for space in some mailbox.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>The largest <see cref="Pending"/> seen.</summary>
    public int HighWater { get; private set; }

    /// <summary>Messages thrown away because their target stopped or faulted before they could be delivered.</summary>
    public long Undeliverable { get; private set; }

    public bool HasPendingFor(int target) => _pending != 0 && _queues[target].Count > 0;

    public void Add(int target, in ShardMessage message)
    {
        _queues[target].Enqueue(in message);
        _pending++;
        if (_pending > HighWater)
        {
            HighWater = _pending;
        }
    }

    /// <summary>Moves what fits into the targets' mailboxes, oldest first; returns how many messages moved.</summary>
    public int Flush(ShardSet set, ILogger logger)
    {
        if (_pending == 0)
        {
            return 0;
        }
        int moved = 0;
        for (int t = 0; t < _queues.Length; t++)
        {
            MessageQueue queue = _queues[t];
            if (queue.Count == 0)
            {
                continue;
            }
            Shard target = set[t];
            if (!target.IsAccepting)
            {
                DropAll(queue, target, logger);
                continue;
            }
            while (queue.Count > 0 && target.TryDeliver(in queue.Peek()))
            {
                queue.Dequeue();
                _pending--;
                moved++;
            }
        }
        return moved;
    }

    private void DropAll(MessageQueue queue, Shard target, ILogger logger)
    {
        int n = queue.Count;
        while (queue.Count > 0)
        {
            queue.Dequeue();
        }
        _pending -= n;
        Undeliverable += n;
        logger.LogError("Dropped {Count} messages for shard {Target}: it is {State} and will never run them", n, target.Id.Value, target.State);
    }
}
