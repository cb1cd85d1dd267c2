using System;
using System.Buffers;
using System.Diagnostics;

namespace FastMQ.Protocol.Compression;

/// <summary>
/// A contiguous, reusable output buffer that doubles when it runs out of room. Owned by one thread; it keeps its
/// largest array so that, once warmed up, building or decompressing batches of the same size allocates nothing.
/// </summary>
/// <remarks>
/// Plain arrays rather than <see cref="ArrayPool{T}"/>: the owners (builders, decompressors) live as long as their
/// thread, and a private array can never be used after being handed back to a shared pool.
/// </remarks>
internal sealed class GrowableBuffer : IBufferWriter<byte>
{
    private byte[] _array;
    private int _length;

    public GrowableBuffer(int initialCapacity)
    {
        Debug.Assert(initialCapacity > 0);
        _array = GC.AllocateUninitializedArray<byte>(initialCapacity);
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    public int Capacity => _array.Length;

    /// <summary>The written bytes, writable so that callers can patch fields in place.</summary>
    public Span<byte> WrittenSpan => _array.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void Advance(int count)
    {
        Debug.Assert(count >= 0 && _length + count <= _array.Length);
        _length += count;
    }

    /// <summary>Forgets everything written after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length)
    {
        Debug.Assert(length >= 0 && length <= _length);
        _length = length;
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsSpan(_length);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsMemory(_length);
    }

    /// <summary>The whole backing array from the start; valid until the next call that may grow the buffer.</summary>
    public Span<byte> RawSpan => _array;

    /// <summary>Makes sure at least <paramref name="sizeHint"/> bytes (at least 1) are free after the written ones.</summary>
    public void EnsureFree(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }
        if (_array.Length - _length < sizeHint)
        {
            Grow(sizeHint);
        }
    }

    private void Grow(int sizeHint)
    {
        long needed = (long)_length + sizeHint;
        if (needed > Array.MaxLength)
        {
            Core.ThrowHelper.InvalidOperation($"a buffer of {needed} bytes exceeds the largest array .NET allows");
        }
        long newSize = Math.Max(needed, Math.Min((long)_array.Length * 2, Array.MaxLength));
        byte[] next = GC.AllocateUninitializedArray<byte>((int)newSize);
        _array.AsSpan(0, _length).CopyTo(next);
        _array = next;
    }
}
