using System;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// Field helpers shared by the consumer-group codecs (FindCoordinator … OffsetDelete, and the embedded consumer
/// protocol). They allocate (byte arrays, strings), which is fine: none of these APIs is on a hot path.
/// </summary>
internal static class GroupMessageIo
{
    /// <summary>Skips a tagged-field section in flexible versions; classic versions have none.</summary>
    public static void SkipTags(ref KafkaReader reader, bool flexible)
    {
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
    }

    /// <summary>BYTES / COMPACT_BYTES copied out of the input, so the object outlives the request buffer.</summary>
    public static byte[] ReadBytesCopy(ref KafkaReader reader, bool flexible) => reader.ReadBytes(flexible).ToArray();

    /// <summary>NULLABLE_BYTES / COMPACT_NULLABLE_BYTES copied out of the input; null stays null.</summary>
    public static byte[]? ReadNullableBytesCopy(ref KafkaReader reader, bool flexible)
    {
        ReadOnlySpan<byte> bytes = reader.ReadNullableBytes(flexible, out bool isNull);
        return isNull ? null : bytes.ToArray();
    }

    public static void WriteNullableBytes(ref KafkaWriter writer, byte[]? bytes, bool flexible) =>
        writer.WriteNullableBytes(bytes, bytes is null, flexible);
}
