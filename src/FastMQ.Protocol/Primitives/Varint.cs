using System;

namespace FastMQ.Protocol.Primitives;

/// <summary>
/// Kafka's variable-length integers: UNSIGNED_VARINT (7 bits a byte, low group first), and VARINT / VARLONG
/// (zig-zag, then unsigned). Used by flexible protocol versions and by records inside a batch.
/// </summary>
/// <remarks>
/// <c>TryRead*</c> return false when the span ends before the value does ("need more bytes"); a value that
/// runs past its maximum width (5 bytes for 32 bits, 10 for 64) is malformed and also returns false with
/// <c>bytesRead</c> = -1 so callers can tell the two apart.
/// </remarks>
public static class Varint
{
    public const int MaxLength32 = 5;
    public const int MaxLength64 = 10;

    public static bool TryReadUnsigned(ReadOnlySpan<byte> source, out uint value, out int bytesRead)
    {
        uint result = 0;
        for (int i = 0; i < MaxLength32; i++)
        {
            if (i >= source.Length)
            {
                value = 0;
                bytesRead = 0;
                return false;
            }
            byte b = source[i];
            result |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                value = result;
                bytesRead = i + 1;
                return true;
            }
        }
        value = 0;
        bytesRead = -1;
        return false;
    }

    public static bool TryReadUnsigned64(ReadOnlySpan<byte> source, out ulong value, out int bytesRead)
    {
        ulong result = 0;
        for (int i = 0; i < MaxLength64; i++)
        {
            if (i >= source.Length)
            {
                value = 0;
                bytesRead = 0;
                return false;
            }
            byte b = source[i];
            result |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                value = result;
                bytesRead = i + 1;
                return true;
            }
        }
        value = 0;
        bytesRead = -1;
        return false;
    }

    /// <summary>Reads a zig-zag VARINT (int32).</summary>
    public static bool TryReadSigned(ReadOnlySpan<byte> source, out int value, out int bytesRead)
    {
        bool ok = TryReadUnsigned(source, out uint raw, out bytesRead);
        value = (int)(raw >> 1) ^ -(int)(raw & 1);
        return ok;
    }

    /// <summary>Reads a zig-zag VARLONG (int64).</summary>
    public static bool TryReadSigned64(ReadOnlySpan<byte> source, out long value, out int bytesRead)
    {
        bool ok = TryReadUnsigned64(source, out ulong raw, out bytesRead);
        value = (long)(raw >> 1) ^ -(long)(raw & 1);
        return ok;
    }

    public static int SizeOfUnsigned(uint value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    public static int SizeOfUnsigned64(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    public static int SizeOfSigned(int value) => SizeOfUnsigned((uint)((value << 1) ^ (value >> 31)));

    public static int SizeOfSigned64(long value) => SizeOfUnsigned64((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Writes an UNSIGNED_VARINT; returns the bytes written. The destination must have room (≤ 5 bytes).</summary>
    public static int WriteUnsigned(Span<byte> destination, uint value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int WriteUnsigned64(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int WriteSigned(Span<byte> destination, int value) =>
        WriteUnsigned(destination, (uint)((value << 1) ^ (value >> 31)));

    public static int WriteSigned64(Span<byte> destination, long value) =>
        WriteUnsigned64(destination, (ulong)((value << 1) ^ (value >> 63)));
}
