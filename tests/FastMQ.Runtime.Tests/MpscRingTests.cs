using System;
using Xunit;

namespace FastMQ.Runtime.Tests;

public sealed class MpscRingTests
{
    private readonly struct Item(long value, object? reference = null)
    {
        public long Value { get; } = value;
        public object? Reference { get; } = reference;
    }

    private struct Collect : IMessageHandler<Item>
    {
        public long Sum;
        public int Count;

        public void OnMessage(in Item message)
        {
            Sum += message.Value;
            Count++;
        }
    }

    [Fact]
    public void Capacity_IsRoundedUpToPowerOfTwo_AndBadValuesAreRejected()
    {
        // Goal: capacity rules. Method: construct with several sizes, including invalid ones.
        Assert.Equal(8, new MpscRing<Item>(5).Capacity);
        Assert.Equal(2, new MpscRing<Item>(2).Capacity);
        Assert.Equal(1024, new MpscRing<Item>(1024).Capacity);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MpscRing<Item>(1));
        Assert.Contains("between 2 and", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MpscRing<Item>(-4));
    }

    [Fact]
    public void TryEnqueue_WhenFull_ReturnsFalse_AndSucceedsAgainAfterADequeue()
    {
        // Goal: a full ring refuses instead of overwriting. Method: fill 4 slots, try a 5th, take one, retry.
        var ring = new MpscRing<Item>(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryEnqueue(new Item(i)));
        }
        Assert.Equal(4, ring.Count);
        Assert.False(ring.TryEnqueue(new Item(99)));
        Assert.True(ring.TryDequeue(out Item first));
        Assert.Equal(0, first.Value);
        Assert.True(ring.TryEnqueue(new Item(4)));
        Assert.False(ring.TryEnqueue(new Item(5)));
        for (int i = 1; i <= 4; i++)
        {
            Assert.True(ring.TryDequeue(out Item m));
            Assert.Equal(i, m.Value);
        }
        Assert.True(ring.IsEmpty);
        Assert.False(ring.TryDequeue(out _));
    }

    [Fact]
    public void Drain_RespectsLimit_AndKeepsOrderAcrossManyWraps()
    {
        // Goal: batch drain order and limit across wrap-around. Method: 10 000 rounds of enqueue 3 / drain ≤ 2 on 4 slots.
        var ring = new MpscRing<Item>(4);
        long nextIn = 0;
        long expectedSum = 0;
        var handler = new Collect();
        for (int round = 0; round < 10_000; round++)
        {
            while (ring.Count < 3 && ring.TryEnqueue(new Item(nextIn)))
            {
                nextIn++;
            }
            int before = handler.Count;
            int n = ring.Drain(ref handler, 2);
            Assert.Equal(2, n);
            Assert.Equal(before + 2, handler.Count);
        }
        handler.Count = 0;
        handler.Sum = 0;
        int rest = ring.Drain(ref handler, 100);
        Assert.Equal(rest, handler.Count);
        Assert.Equal(nextIn, 20_000 + rest);
        for (long v = nextIn - rest; v < nextIn; v++)
        {
            expectedSum += v;
        }
        Assert.Equal(expectedSum, handler.Sum);
    }

    [Fact]
    public void Dequeue_ClearsTheSlot_SoReferencesAreNotKeptAlive()
    {
        // Goal: a consumed slot does not pin its object. Method: send an object through, drop it, force a GC, check a weak reference.
        var ring = new MpscRing<Item>(2);
        WeakReference weak = Send(ring);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(weak.IsAlive);

        static WeakReference Send(MpscRing<Item> ring)
        {
            object o = new();
            Assert.True(ring.TryEnqueue(new Item(1, o)));
            Assert.True(ring.TryDequeue(out Item m));
            Assert.Same(o, m.Reference);
            return new WeakReference(o);
        }
    }
}
