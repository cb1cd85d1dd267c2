using System;
using System.Runtime.InteropServices;

namespace FastMQ.Memory;

/// <summary>
/// One block of unmanaged memory aligned for O_DIRECT I/O (address and size multiples of <see cref="Alignment"/>).
/// Allocated once (at startup or when a log opens) and reused; never allocated or freed on the hot path.
/// </summary>
/// <remarks>Owned by one shard. The memory never moves, so its address may be handed to io_uring.</remarks>
public sealed unsafe class AlignedBuffer : IDisposable
{
    /// <summary>Logical block size of the devices FastMQ targets; O_DIRECT needs this alignment.</summary>
    public const int Alignment = 4096;

    private byte* _pointer;

    public AlignedBuffer(int sizeBytes)
    {
        if (sizeBytes <= 0 || sizeBytes % Alignment != 0)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(sizeBytes), $"must be a positive multiple of {Alignment}");
        }
        _pointer = (byte*)NativeMemory.AlignedAlloc((nuint)sizeBytes, Alignment);
        NativeMemory.Clear(_pointer, (nuint)sizeBytes);
        Length = sizeBytes;
    }

    public int Length { get; }

    /// <summary>The start of the block; stable for the buffer's lifetime.</summary>
    public byte* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(AlignedBuffer));

    public Span<byte> Span => new(Pointer, Length);

    public Span<byte> Slice(int start, int length)
    {
        if ((uint)start > (uint)Length || (uint)length > (uint)(Length - start))
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(start), "slice outside the buffer");
        }
        return new Span<byte>(Pointer + start, length);
    }

    /// <summary>Rounds <paramref name="value"/> up to the next multiple of <see cref="Alignment"/>.</summary>
    public static long AlignUp(long value) => (value + Alignment - 1) & ~(long)(Alignment - 1);

    /// <summary>Rounds <paramref name="value"/> down to a multiple of <see cref="Alignment"/>.</summary>
    public static long AlignDown(long value) => value & ~(long)(Alignment - 1);

    public void Dispose()
    {
        byte* p = _pointer;
        _pointer = null;
        if (p != null)
        {
            NativeMemory.AlignedFree(p);
        }
    }
}
