using System;
using System.Buffers.Binary;

namespace FastMQ.Protocol.Primitives;

/// <summary>
/// A read-only view of an ARRAY of INT32 (e.g. partition indexes) inside a received message: no copy, no allocation.
/// </summary>
public readonly ref struct Int32ArrayView
{
    private readonly ReadOnlySpan<byte> _bytes;

    /// <param name="bytes">Exactly <c>4 × count</c> bytes of big-endian int32 values.</param>
    public Int32ArrayView(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 4 != 0)
        {
            KafkaThrow.Invalid($"An int32 array view needs a multiple of 4 bytes, got {bytes.Length}.");
        }
        _bytes = bytes;
    }

    public int Count => _bytes.Length / 4;

    public int this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is outside 0..{Count - 1}.");
            }
            return BinaryPrimitives.ReadInt32BigEndian(_bytes.Slice(index * 4, 4));
        }
    }

    /// <summary>Reads the array that starts at the reader's position (INT32 / compact count, then the values).</summary>
    public static Int32ArrayView Read(scoped ref KafkaReader reader, bool flexible)
    {
        int count = reader.ReadArrayCount(flexible, 4);
        return new Int32ArrayView(reader.ReadRaw(count * 4));
    }
}
