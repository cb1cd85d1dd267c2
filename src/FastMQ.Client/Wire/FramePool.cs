using System.Collections.Generic;
using System.Numerics;

namespace FastMQ.Client.Wire;

/// <summary>
/// Frames a connection receives into, reused across responses. Rented by the receive thread, returned by whichever
/// thread releases the frame.
/// </summary>
/// <remarks>
/// A lock per frame (not per record) guards a stack: frames come and go at the rate of responses, a few thousand per
/// second, so an uncontended monitor costs nothing measurable and keeps the code obvious. The pool keeps at most
/// <see cref="MaxRetained"/> frames; a consumer holding more (slow application) makes the extra ones garbage.
/// </remarks>
internal sealed class FramePool
{
    /// <summary>Frames kept for reuse; in-flight requests plus frames held by the application rarely exceed it.</summary>
    public const int MaxRetained = 64;

    private const int MinFrameBytes = 4096;

    private readonly Stack<PooledFrame> _free = new(MaxRetained);

    /// <summary>A frame with room for <paramref name="length"/> bytes, leased to the caller.</summary>
    public PooledFrame Rent(int length, out System.Span<byte> bytes)
    {
        PooledFrame? frame = null;
        lock (_free)
        {
            _free.TryPop(out frame);
        }
        frame ??= new PooledFrame(this, RoundUp(length));
        bytes = frame.Lease(length);
        return frame;
    }

    internal void Return(PooledFrame frame)
    {
        lock (_free)
        {
            if (_free.Count < MaxRetained)
            {
                _free.Push(frame);
            }
        }
    }

    internal static int RoundUp(int length) =>
        length <= MinFrameBytes ? MinFrameBytes : (int)System.Math.Min(BitOperations.RoundUpToPowerOf2((uint)length), int.MaxValue);
}
