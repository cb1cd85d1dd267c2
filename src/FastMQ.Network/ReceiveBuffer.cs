using System;
using System.Threading;

namespace FastMQ.Network;

/// <summary>
/// A pinned receive buffer shared by the frames read into it. Each <see cref="FrameLease"/> holds a reference;
/// the receive loop holds one more while it is still filling the buffer. The last release returns it to its pool.
/// </summary>
/// <remarks>Pinned (POH) so the shard may hand slices of it to the kernel by address.</remarks>
public sealed class ReceiveBuffer
{
    private readonly ReceiveBufferPool? _pool;
    private int _refCount;

    internal ReceiveBuffer(int size, ReceiveBufferPool? pool)
    {
        Array = GC.AllocateUninitializedArray<byte>(size, pinned: true);
        _pool = pool;
    }

    internal byte[] Array { get; }

    public int Length => Array.Length;

    /// <summary>Called when taken from the pool: the taker holds the first reference.</summary>
    internal void Reset() => Volatile.Write(ref _refCount, 1);

    internal bool HasSingleOwner => Volatile.Read(ref _refCount) == 1;

    public void AddRef() => Interlocked.Increment(ref _refCount);

    public void Release()
    {
        int n = Interlocked.Decrement(ref _refCount);
        if (n == 0)
        {
            _pool?.Return(this);
        }
        else if (n < 0)
        {
            Core.ThrowHelper.InvalidOperation("ReceiveBuffer released more often than referenced");
        }
    }
}
