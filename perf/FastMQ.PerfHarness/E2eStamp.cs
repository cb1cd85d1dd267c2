using System;
using System.Buffers.Binary;

namespace FastMQ.PerfHarness;

/// <summary>
/// The first bytes of an e2e message: the Stopwatch timestamp at which the message was due by the fixed-rate schedule
/// (intended) and the one at which the client was actually handed it (sent). Producer and consumer run in the same
/// process, so the two clocks are the same monotonic clock.
/// </summary>
internal static class E2eStamp
{
    public const int Bytes = 16;

    public static void Write(Span<byte> value, long intendedTicks, long sentTicks)
    {
        BinaryPrimitives.WriteInt64LittleEndian(value, intendedTicks);
        BinaryPrimitives.WriteInt64LittleEndian(value[8..], sentTicks);
    }

    public static bool TryRead(ReadOnlySpan<byte> value, out long intendedTicks, out long sentTicks)
    {
        if (value.Length < Bytes)
        {
            intendedTicks = sentTicks = 0;
            return false;
        }
        intendedTicks = BinaryPrimitives.ReadInt64LittleEndian(value);
        sentTicks = BinaryPrimitives.ReadInt64LittleEndian(value[8..]);
        return true;
    }
}
