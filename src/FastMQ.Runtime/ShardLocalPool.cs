using System;
using FastMQ.Core;

namespace FastMQ.Runtime;

/// <summary>
/// A pool of reusable objects (work items, reply carriers) owned by one shard: rent on the shard, send the object
/// away in a message, get it back in the reply, return it on the same shard. Bounded: returns beyond
/// <see cref="Capacity"/> are left to the GC; rents from an empty pool create a new object (counted in
/// <see cref="Misses"/>, which a warmed-up shard keeps at zero).
/// </summary>
/// <remarks>Not thread-safe by design: only the owning shard's thread calls it, so rent and return cost a few loads and stores.</remarks>
public sealed class ShardLocalPool<T>
    where T : class
{
    private readonly Func<T> _factory;
    private readonly T?[] _items;
    private int _count;

    /// <param name="factory">Makes a new object on a miss (and for <paramref name="prefill"/>).</param>
    /// <param name="capacity">Most idle objects kept.</param>
    /// <param name="prefill">Objects created up front so the first rents do not allocate.</param>
    public ShardLocalPool(Func<T> factory, int capacity, int prefill = 0)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (capacity < 1 || prefill < 0 || prefill > capacity)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(capacity), $"need 1 ≤ capacity and 0 ≤ prefill ≤ capacity, were {capacity} and {prefill}");
        }
        _factory = factory;
        _items = new T?[capacity];
        for (int i = 0; i < prefill; i++)
        {
            _items[_count++] = factory();
        }
    }

    public int Capacity => _items.Length;

    /// <summary>Idle objects in the pool.</summary>
    public int Available => _count;

    /// <summary>Rents that found the pool empty and created an object.</summary>
    public long Misses { get; private set; }

    public T Rent()
    {
        if (_count > 0)
        {
            int i = --_count;
            T item = _items[i]!;
            _items[i] = null;
            return item;
        }
        Misses++;
        return _factory();
    }

    public void Return(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_count < _items.Length)
        {
            _items[_count++] = item;
        }
    }
}
