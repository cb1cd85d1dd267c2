using System;
using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// ApiVersions response (key 18), versions 0-3. Always sent with response header v0, even at v3.
/// </summary>
/// <remarks>
/// Broker side, use <see cref="WriteResponse"/>: it writes the whole frame from an <see cref="ApiVersionsTable"/>
/// without allocating and applies the fallback of kafka-protocol.md §2.2 for versions above the maximum.
/// The class form (<see cref="Read"/>/<see cref="Write"/>) serves clients and tests. The v3 tagged fields
/// (SupportedFeatures, FinalizedFeaturesEpoch, FinalizedFeatures, ZkMigrationReady) are never written and are
/// skipped when read.
/// </remarks>
public sealed class ApiVersionsResponse
{
    public const short MinVersion = 0;
    public const short MaxVersion = 3;
    public const short FirstFlexibleVersion = 3;

    /// <summary>Bytes per ApiKeys element: key, min, max (INT16 each), plus the tag section in v3.</summary>
    private const int EntrySize = 6;

    public ErrorCode ErrorCode { get; set; }

    public List<ApiVersionRange> ApiKeys { get; } = [];

    /// <summary>v1+.</summary>
    public int ThrottleTimeMs { get; set; }

    public static ApiVersionsResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("ApiVersionsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new ApiVersionsResponse { ErrorCode = (ErrorCode)reader.ReadInt16() };
        int count = reader.ReadArrayCount(flexible, flexible ? EntrySize + 1 : EntrySize);
        for (int i = 0; i < count; i++)
        {
            var key = (ApiKey)reader.ReadInt16();
            short min = reader.ReadInt16();
            short max = reader.ReadInt16();
            response.ApiKeys.Add(new ApiVersionRange(key, min, max, ApiVersionRange.NeverFlexible));
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
        }
        if (version >= 1)
        {
            response.ThrottleTimeMs = reader.ReadInt32();
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        reader.EnsureEnd("ApiVersionsResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("ApiVersionsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt16((short)ErrorCode);
        writer.WriteArrayCount(ApiKeys.Count, flexible);
        foreach (ApiVersionRange entry in ApiKeys)
        {
            WriteEntry(ref writer, entry, flexible);
        }
        WriteTail(ref writer, version, ThrottleTimeMs);
    }

    /// <summary>
    /// Writes a complete ApiVersions response frame (size, header v0, body) for a request of
    /// <paramref name="requestedVersion"/>. Versions above <see cref="MaxVersion"/> get the §2.2 fallback: a version-0
    /// body with UNSUPPORTED_VERSION and the ApiVersions entry alone, so any client can read it and retry lower.
    /// Allocation-free. Returns the frame length including the size prefix.
    /// </summary>
    public static int WriteResponse(ref KafkaWriter writer, int correlationId, short requestedVersion,
        ApiVersionsTable table, int throttleTimeMs = 0)
    {
        ArgumentNullException.ThrowIfNull(table);
        int slot = ResponseHeader.BeginFrame(ref writer, correlationId, flexible: false);
        if (requestedVersion < MinVersion || requestedVersion > MaxVersion)
        {
            WriteFallbackBody(ref writer, table);
        }
        else
        {
            WriteBody(ref writer, requestedVersion, ErrorCode.None, table, throttleTimeMs);
        }
        return ResponseHeader.EndFrame(ref writer, slot);
    }

    /// <summary>Writes a body listing every table entry (allocation-free).</summary>
    public static void WriteBody(ref KafkaWriter writer, short version, ErrorCode errorCode, ApiVersionsTable table,
        int throttleTimeMs)
    {
        ArgumentNullException.ThrowIfNull(table);
        MessageVersion.Check("ApiVersionsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt16((short)errorCode);
        ReadOnlySpan<ApiVersionRange> entries = table.Entries;
        writer.WriteArrayCount(entries.Length, flexible);
        foreach (ApiVersionRange entry in entries)
        {
            WriteEntry(ref writer, entry, flexible);
        }
        WriteTail(ref writer, version, throttleTimeMs);
    }

    /// <summary>
    /// The §2.2 fallback body, always at version 0: UNSUPPORTED_VERSION and one entry with FastMQ's ApiVersions range.
    /// </summary>
    public static void WriteFallbackBody(ref KafkaWriter writer, ApiVersionsTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        writer.WriteInt16((short)ErrorCode.UnsupportedVersion);
        writer.WriteArrayCount(1, flexible: false);
        WriteEntry(ref writer, table.Get(ApiKey.ApiVersions), flexible: false);
    }

    private static void WriteEntry(ref KafkaWriter writer, in ApiVersionRange entry, bool flexible)
    {
        writer.WriteInt16((short)entry.ApiKey);
        writer.WriteInt16(entry.MinVersion);
        writer.WriteInt16(entry.MaxVersion);
        writer.WriteEmptyTaggedFields(flexible);
    }

    private static void WriteTail(ref KafkaWriter writer, short version, int throttleTimeMs)
    {
        if (version >= 1)
        {
            writer.WriteInt32(throttleTimeMs);
        }
        writer.WriteEmptyTaggedFields(version >= FirstFlexibleVersion);
    }
}
