using System.Diagnostics;

namespace FastMQ.Runtime.Internal;

/// <summary>
/// A growable single-thread FIFO of messages, used by a shard's outbox. It grows (allocates) only when a backlog is
/// larger than any before, and keeps its array afterwards, so a steady state allocates nothing.
/// </summary>
internal sealed class MessageQueue
{
    private ShardMessage[] _items;
    private int _head;
    private int _count;

    public MessageQueue(int initialCapacity)
    {
        Debug.Assert(initialCapacity > 0);
        _items = new ShardMessage[initialCapacity];
    }

    public int Count => _count;

    public ref readonly ShardMessage Peek()
    {
        Debug.Assert(_count > 0);
        return ref _items[_head];
    }

    public void Enqueue(in ShardMessage message)
    {
        if (_count == _items.Length)
        {
            Grow();
        }
        _items[(_head + _count) % _items.Length] = message;
        _count++;
    }

    public void Dequeue()
    {
        Debug.Assert(_count > 0);
        _items[_head] = default;
        _head = (_head + 1) % _items.Length;
        _count--;
    }

    private void Grow()
    {
        var bigger = new ShardMessage[_items.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            bigger[i] = _items[(_head + i) % _items.Length];
        }
        _items = bigger;
        _head = 0;
    }
}
