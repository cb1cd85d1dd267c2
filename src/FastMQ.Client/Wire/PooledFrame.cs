using System;
using System.Threading;

namespace FastMQ.Client.Wire;

/// <summary>
/// One received response frame (without its 4-byte size prefix) in a buffer borrowed from a <see cref="FramePool"/>.
/// </summary>
/// <remarks>
/// Lifecycle: rented by the receive thread, handed to an <see cref="IResponseSink"/>, which calls <see cref="Release"/>
/// exactly once; the bytes must not be read after that. A second release throws, so double returns are found at once.
/// The frame object and its array are reused: once the pool has frames as large as the largest response, receiving
/// allocates nothing.
/// </remarks>
internal sealed class PooledFrame
{
    private readonly FramePool _pool;
    private byte[] _buffer;
    private int _length;
    private int _leased;

    internal PooledFrame(FramePool pool, int capacity)
    {
        _pool = pool;
        _buffer = GC.AllocateUninitializedArray<byte>(capacity);
    }

    /// <summary>The frame bytes: response header then body.</summary>
    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    /// <summary>The frame bytes as memory, for readers that keep a reference while the lease is held.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>Bytes in the frame.</summary>
    public int Length => _length;

    /// <summary>Returns the frame to its pool. Throws <see cref="InvalidOperationException"/> when already released.</summary>
    public void Release()
    {
        // Exchange so that two racing releases cannot both return the frame.
        if (Interlocked.Exchange(ref _leased, 0) == 0)
        {
            throw new InvalidOperationException("this frame was already released");
        }
        _pool.Return(this);
    }

    internal int Capacity => _buffer.Length;

    /// <summary>Prepares the frame for <paramref name="length"/> bytes; grows the array when needed (warm-up only).</summary>
    internal Span<byte> Lease(int length)
    {
        if (_buffer.Length < length)
        {
            _buffer = GC.AllocateUninitializedArray<byte>(FramePool.RoundUp(length));
        }
        _length = length;
        Volatile.Write(ref _leased, 1);
        return _buffer.AsSpan(0, length);
    }
}
