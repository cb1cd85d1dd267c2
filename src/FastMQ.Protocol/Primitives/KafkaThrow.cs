using System;
using System.Diagnostics.CodeAnalysis;

namespace FastMQ.Protocol.Primitives;

/// <summary>Throws kept out of the readers and writers so their hot methods stay small and inlinable.</summary>
internal static class KafkaThrow
{
    [DoesNotReturn]
    public static void Truncated(string what, int offset, long needed, int remaining) =>
        throw new KafkaProtocolException(
            $"Truncated input: {what} at offset {offset} needs {needed} bytes but only {remaining} remain.");

    [DoesNotReturn]
    public static void MalformedVarint(int offset) =>
        throw new KafkaProtocolException($"Malformed unsigned varint at offset {offset}: longer than 5 bytes.");

    [DoesNotReturn]
    public static void InvalidLength(string what, long length, int offset) =>
        throw new KafkaProtocolException($"Invalid {what} length {length} at offset {offset}.");

    [DoesNotReturn]
    public static void UnexpectedNull(string what, int offset) =>
        throw new KafkaProtocolException($"Null {what} at offset {offset}, but the field is not nullable.");

    [DoesNotReturn]
    public static void ArrayTooLarge(long count, int offset, int remaining, int minElementSize) =>
        throw new KafkaProtocolException(
            $"Array count {count} at offset {offset} cannot fit in the {remaining} remaining bytes " +
            $"(each element takes at least {minElementSize}).");

    [DoesNotReturn]
    public static void TrailingBytes(string what, int offset, int remaining) =>
        throw new KafkaProtocolException($"{what}: {remaining} unexpected trailing bytes at offset {offset}.");

    [DoesNotReturn]
    public static void UnsupportedVersion(string api, short version, short min, short max) =>
        throw new KafkaProtocolException($"{api} version {version} is not supported (supported {min}-{max}).");

    [DoesNotReturn]
    public static void Invalid(string message) => throw new KafkaProtocolException(message);

    [DoesNotReturn]
    public static void BufferTooSmall(int position, int needed, int capacity) =>
        throw new InvalidOperationException(
            $"Output buffer too small: {needed} more bytes needed at position {position}, capacity {capacity}.");

    [DoesNotReturn]
    public static void ValueTooLong(string what, int length, int max) =>
        throw new ArgumentOutOfRangeException(nameof(length), $"{what} of {length} bytes exceeds the protocol maximum of {max}.");

    [DoesNotReturn]
    public static void NegativeArgument(string what, long value) =>
        throw new ArgumentOutOfRangeException(nameof(value), $"{what} {value} is below -1 (the null marker).");

    [DoesNotReturn]
    public static void InvalidState(string message) => throw new InvalidOperationException(message);
}
