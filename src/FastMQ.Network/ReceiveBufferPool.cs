using System;
using System.Numerics;
using Microsoft.Extensions.ObjectPool;

namespace FastMQ.Network;

/// <summary>
/// Receive buffers pooled by power-of-two size class, from <see cref="NetworkOptions.ReceiveBufferBytes"/> up to the
/// largest frame. Taking and returning are lock-free (DefaultObjectPool uses Interlocked) and allocate nothing once
/// the pool is warm. Large classes keep few buffers so a burst of huge frames does not pin memory for ever.
/// </summary>
public sealed class ReceiveBufferPool
{
    /// <summary>The largest size class, 1 GiB: classes are powers of two and a .NET array holds less than 2 GiB.</summary>
    public const int MaxBufferBytes = 1 << 30;

    private readonly DefaultObjectPool<ReceiveBuffer>[] _classes;
    private readonly int _minShift;

    /// <param name="minBufferBytes">The smallest class (rounded up to a power of two).</param>
    /// <param name="maxBufferBytes">
    /// The largest frame with its size prefix. Values above <see cref="MaxBufferBytes"/>, or negative (socket.request.max.bytes
    /// = 2147483647 plus the 4-byte prefix wraps around), mean <see cref="MaxBufferBytes"/>: before this, a wrapped value
    /// left a single 256 KiB class and every larger request closed its connection.
    /// </param>
    public ReceiveBufferPool(int minBufferBytes, int maxBufferBytes)
    {
        if (maxBufferBytes <= 0 || maxBufferBytes > MaxBufferBytes)
        {
            maxBufferBytes = MaxBufferBytes;
        }
        _minShift = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)minBufferBytes));
        int maxShift = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(minBufferBytes, maxBufferBytes)));
        _classes = new DefaultObjectPool<ReceiveBuffer>[maxShift - _minShift + 1];
        for (int i = 0; i < _classes.Length; i++)
        {
            int size = 1 << (_minShift + i);
            int retained = size <= 1 << 20 ? 256 : 4;
            _classes[i] = new DefaultObjectPool<ReceiveBuffer>(new Policy(size, this), retained);
        }
    }

    /// <summary>A buffer of at least <paramref name="minBytes"/>, holding one reference for the caller.</summary>
    public ReceiveBuffer Rent(int minBytes)
    {
        int shift = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(minBytes, 1)));
        int index = Math.Max(0, shift - _minShift);
        if (index >= _classes.Length)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(minBytes), $"{minBytes} bytes is above the largest buffer class");
        }
        ReceiveBuffer buffer = _classes[index].Get();
        buffer.Reset();
        return buffer;
    }

    internal void Return(ReceiveBuffer buffer)
    {
        int index = BitOperations.Log2((uint)buffer.Length) - _minShift;
        _classes[index].Return(buffer);
    }

    private sealed class Policy(int size, ReceiveBufferPool owner) : IPooledObjectPolicy<ReceiveBuffer>
    {
        public ReceiveBuffer Create() => new(size, owner);

        public bool Return(ReceiveBuffer obj) => true;
    }
}
