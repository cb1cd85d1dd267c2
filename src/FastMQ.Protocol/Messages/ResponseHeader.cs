using System;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// Response header rules and framing: header v0 is correlation_id INT32; header v1 adds a tagged-field section and is
/// used for flexible response versions, except that ApiVersions responses always use v0 so a client that does not yet
/// know the broker's versions can read them (KIP-511).
/// </summary>
public static class ResponseHeader
{
    /// <summary>True when the response to (<paramref name="apiKey"/>, <paramref name="apiVersion"/>) uses header v1.</summary>
    public static bool IsFlexible(ApiKey apiKey, short apiVersion, ApiVersionsTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return apiKey != ApiKey.ApiVersions && table.IsFlexible(apiKey, apiVersion);
    }

    /// <summary>Writes the header only (no frame size).</summary>
    public static void Write(ref KafkaWriter writer, int correlationId, bool flexible)
    {
        writer.WriteInt32(correlationId);
        writer.WriteEmptyTaggedFields(flexible);
    }

    /// <summary>
    /// Starts a response frame: reserves the INT32 size and writes the header. Returns the size slot for
    /// <see cref="EndFrame"/>.
    /// </summary>
    public static int BeginFrame(ref KafkaWriter writer, int correlationId, bool flexible)
    {
        int slot = writer.BeginSizePrefix();
        Write(ref writer, correlationId, flexible);
        return slot;
    }

    /// <summary>
    /// Completes a frame begun with <see cref="BeginFrame"/>: the size counts every byte written after the slot plus
    /// <paramref name="externalBytes"/> sent outside the buffer (records by sendfile). Returns the whole frame length
    /// including the 4-byte size.
    /// </summary>
    public static int EndFrame(ref KafkaWriter writer, int slot, long externalBytes = 0) =>
        writer.EndSizePrefix(slot, externalBytes) + 4;

    /// <summary>Reads a response header (client side) and returns the correlation id.</summary>
    public static int Read(ref KafkaReader reader, bool flexible)
    {
        int correlationId = reader.ReadInt32();
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        return correlationId;
    }
}
