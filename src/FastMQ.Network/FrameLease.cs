using System;

namespace FastMQ.Network;

/// <summary>
/// One request frame (without its 4-byte size prefix) inside a <see cref="ReceiveBuffer"/>. The holder must call
/// <see cref="Release"/> exactly once, after which the bytes may be overwritten.
/// </summary>
public readonly struct FrameLease
{
    private readonly ReceiveBuffer _buffer;

    internal FrameLease(ReceiveBuffer buffer, int offset, int length, long sequence)
    {
        _buffer = buffer;
        Offset = offset;
        Length = length;
        Sequence = sequence;
    }

    public int Offset { get; }

    public int Length { get; }

    /// <summary>Position of this request in its connection (0, 1, 2 …): responses go out in this order.</summary>
    public long Sequence { get; }

    public ReadOnlySpan<byte> Span => new(_buffer.Array, Offset, Length);

    /// <summary>Writable view, for in-place rewrites such as assigning offsets to a produced batch.</summary>
    public Span<byte> WritableSpan => new(_buffer.Array, Offset, Length);

    public ReadOnlyMemory<byte> Memory => new(_buffer.Array, Offset, Length);

    public void Release() => _buffer.Release();
}
