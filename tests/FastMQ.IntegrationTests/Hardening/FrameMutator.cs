using System;
using System.Buffers.Binary;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>
/// Turns a valid request frame into a broken one (bit flips, byte overwrites, truncation, a corrupted size prefix) or
/// produces pure random bytes. Deterministic for a given <see cref="Random"/>.
/// </summary>
public static class FrameMutator
{
    private static readonly byte[] Interesting = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE];

    /// <summary>
    /// A mutated copy of <paramref name="seed"/>. <paramref name="protectedOffset"/> (or -1) is a byte restored after
    /// mutation; <paramref name="ends"/> is true when the result leaves the stream out of step (the size prefix no
    /// longer matches the bytes), so the caller must not send anything after it on the same connection.
    /// </summary>
    public static byte[] Mutate(Random random, byte[] seed, int protectedOffset, out bool ends)
    {
        ends = false;
        byte[] frame = (byte[])seed.Clone();
        switch (random.Next(6))
        {
            case 0:
            case 1:
                // Bit flips after the size prefix and the API key (a flipped key could turn a read into an admin write).
                for (int i = random.Next(1, 9); i > 0; i--)
                {
                    int at = random.Next(6, frame.Length);
                    frame[at] ^= (byte)(1 << random.Next(8));
                }
                break;
            case 2:
                // Boundary values over 1 to 4 bytes: lengths, counts and sizes become -1, 0, max, min.
                for (int i = random.Next(1, 5); i > 0; i--)
                {
                    frame[random.Next(6, frame.Length)] = Interesting[random.Next(Interesting.Length)];
                }
                break;
            case 3:
                // Truncated, with the size prefix fixed up: a short but well-framed request.
                frame = frame.AsSpan(0, random.Next(4 + 8, frame.Length)).ToArray();
                BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);
                break;
            case 4:
                // Truncated without fixing the size: the broker waits for bytes that never come (until EOF).
                frame = frame.AsSpan(0, random.Next(1, frame.Length)).ToArray();
                ends = true;
                break;
            default:
                BinaryPrimitives.WriteInt32BigEndian(frame, CorruptSize(random, frame.Length - 4));
                ends = true;
                break;
        }
        if (protectedOffset >= 0 && protectedOffset < frame.Length && frame.Length == seed.Length)
        {
            frame[protectedOffset] = seed[protectedOffset];
        }
        return frame;
    }

    /// <summary>Random bytes, half of them behind a size prefix that matches, so they reach the request parser.</summary>
    public static byte[] RandomFrame(Random random, out bool ends)
    {
        byte[] frame = new byte[random.Next(1, 1024)];
        random.NextBytes(frame);
        ends = true;
        if (frame.Length >= 12 && random.Next(2) == 0)
        {
            BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);
            ends = false;
        }
        return frame;
    }

    private static int CorruptSize(Random random, int actual) => random.Next(5) switch
    {
        0 => actual + random.Next(1, 64),
        1 => Math.Max(0, actual - random.Next(1, 64)),
        2 => random.Next(),
        3 => -random.Next(1, int.MaxValue),
        _ => random.Next(16 * 1024 * 1024, 100 * 1024 * 1024),
    };
}
