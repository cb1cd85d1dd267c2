using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace FastMQ.Protocol.Records;

/// <summary>
/// CRC-32C (Castagnoli) as Kafka uses it for RecordBatch v2: initial value 0xFFFFFFFF, final complement.
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> maps to the SSE4.2 / ARMv8 CRC32 instruction where available;
/// eight bytes per step, then the tail byte by byte.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFFu, data);

    /// <summary>Continues a running CRC (not complemented); start with 0xFFFFFFFF and complement the result.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong w in words)
        {
            crc = BitOperations.Crc32C(crc, BitConverter.IsLittleEndian ? w : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(w));
        }
        for (int i = words.Length * sizeof(ulong); i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }
        return crc;
    }
}
