using System;
using System.Text;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// A parsed request header (v1 or v2) over the received request bytes; the client id stays a slice of the input.
/// </summary>
/// <remarks>
/// <para>Header v1 is api_key INT16, api_version INT16, correlation_id INT32, client_id NULLABLE_STRING (INT16 length
/// even in flexible versions). Header v2 (flexible request versions) adds a tagged-field section, which is skipped.
/// Header v0 (no client id) is used only by ControlledShutdown v0, which no client sends, so it is not recognised.</para>
/// <para>Whether the tagged section is present depends on the API and version, taken from the
/// <see cref="ApiVersionsTable"/>. For an API not in the table <see cref="IsKnownApi"/> is false and the section, if
/// any, is left unread: the connection is about to be closed anyway, and the correlation id is still available.</para>
/// </remarks>
public readonly ref struct RequestHeader
{
    /// <summary>Bytes of header v1 before the client id string.</summary>
    public const int FixedPrefixSize = 8;

    private readonly ReadOnlySpan<byte> _clientId;

    private RequestHeader(ApiKey apiKey, short apiVersion, int correlationId, ReadOnlySpan<byte> clientId,
        bool clientIdIsNull, bool isKnownApi, bool isFlexible, int length)
    {
        ApiKey = apiKey;
        ApiVersion = apiVersion;
        CorrelationId = correlationId;
        _clientId = clientId;
        ClientIdIsNull = clientIdIsNull;
        IsKnownApi = isKnownApi;
        IsFlexible = isFlexible;
        Length = length;
    }

    public ApiKey ApiKey { get; }

    public short ApiVersion { get; }

    public int CorrelationId { get; }

    /// <summary>Client id as UTF-8 bytes (a slice of the request); empty when null.</summary>
    public ReadOnlySpan<byte> ClientId => _clientId;

    public bool ClientIdIsNull { get; }

    /// <summary>The API is in the table used to parse the header.</summary>
    public bool IsKnownApi { get; }

    /// <summary>Header v2: the request version is flexible, so the body uses compact encodings and tagged fields.</summary>
    public bool IsFlexible { get; }

    /// <summary>Header size in bytes; the body starts at this offset of the request.</summary>
    public int Length { get; }

    /// <summary>Decodes the client id (allocates; for logs and admin paths).</summary>
    public string? GetClientIdString() => ClientIdIsNull ? null : Encoding.UTF8.GetString(_clientId);

    /// <summary>
    /// Parses the header at the start of <paramref name="request"/> (the bytes after the 4-byte frame size).
    /// Throws <see cref="KafkaProtocolException"/> when the header is truncated or malformed.
    /// </summary>
    public static RequestHeader Read(ReadOnlySpan<byte> request, ApiVersionsTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var reader = new KafkaReader(request);
        var apiKey = (ApiKey)reader.ReadInt16();
        short apiVersion = reader.ReadInt16();
        int correlationId = reader.ReadInt32();
        // client_id keeps the classic INT16 length in every header version.
        ReadOnlySpan<byte> clientId = reader.ReadNullableStringSpan(flexible: false, out bool clientIdIsNull);
        bool known = table.TryGet(apiKey, out ApiVersionRange range);
        bool flexible = known && range.IsFlexible(apiVersion);
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        return new RequestHeader(apiKey, apiVersion, correlationId, clientId, clientIdIsNull, known, flexible, reader.Position);
    }

    /// <summary>Writes a request header (client side): v2 when <paramref name="flexible"/>, else v1.</summary>
    public static void Write(ref KafkaWriter writer, ApiKey apiKey, short apiVersion, int correlationId,
        string? clientId, bool flexible)
    {
        writer.WriteInt16((short)apiKey);
        writer.WriteInt16(apiVersion);
        writer.WriteInt32(correlationId);
        writer.WriteNullableString(clientId, flexible: false);
        writer.WriteEmptyTaggedFields(flexible);
    }
}
