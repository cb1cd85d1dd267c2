using System;

namespace FastMQ.PerfHarness;

/// <summary>
/// Message values. Bytes are random over a 64-symbol alphabet: compressible about like text (lz4 gains something) but
/// not a run of one byte, which would make compressed runs meaningless. Fixed seed, so every run sends the same data.
/// </summary>
internal static class Payload
{
    public static byte[] Create(int sizeBytes, int seed)
    {
        var random = new Random(seed);
        byte[] value = new byte[sizeBytes];
        for (int i = 0; i < value.Length; i++)
        {
            value[i] = (byte)('0' + random.Next(64));
        }
        return value;
    }
}
