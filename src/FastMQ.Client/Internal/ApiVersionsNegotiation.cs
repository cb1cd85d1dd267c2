using System;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Internal;

/// <summary>
/// The ApiVersions handshake rules both transports follow (<see cref="BrokerConnection"/> for admin requests,
/// <see cref="Wire.WireConnection"/> for the data plane): start at the highest version this client knows and, when the
/// broker answers UNSUPPORTED_VERSION, retry once per lower version it advertises (KIP-511).
/// </summary>
internal static class ApiVersionsNegotiation
{
    /// <summary>A broker that does not know the version sent answers with a v0 body carrying UNSUPPORTED_VERSION.</summary>
    public static ApiVersionsResponse Read(ref KafkaReader reader, short version)
    {
        KafkaReader peek = reader;
        return (ErrorCode)peek.ReadInt16() == ErrorCode.UnsupportedVersion
            ? ApiVersionsResponse.Read(ref reader, 0)
            : ApiVersionsResponse.Read(ref reader, version);
    }

    /// <summary>
    /// After UNSUPPORTED_VERSION to <paramref name="version"/>: the next version to try, the highest both know and
    /// strictly lower than this attempt (so the retries end). False when there is none.
    /// </summary>
    public static bool TryLower(ApiVersionsResponse response, short version, out short next)
    {
        ArgumentNullException.ThrowIfNull(response);
        next = 0;
        if (response.ErrorCode != ErrorCode.UnsupportedVersion || version <= 0)
        {
            return false;
        }
        foreach (ApiVersionRange r in response.ApiKeys)
        {
            if (r.ApiKey == ApiKey.ApiVersions)
            {
                next = Math.Min(r.MaxVersion, (short)(version - 1));
            }
        }
        next = Math.Max(next, (short)0);
        return true;
    }
}
