namespace FastMQ.Protocol.Messages;

/// <summary>One API's entry in <see cref="ApiVersionsTable"/>.</summary>
/// <param name="ApiKey">The API.</param>
/// <param name="MinVersion">Lowest version advertised in ApiVersions.</param>
/// <param name="MaxVersion">Highest version advertised in ApiVersions.</param>
/// <param name="FirstFlexibleVersion">First version that uses the flexible (KIP-482) encoding and header v2;
/// <see cref="ApiVersionRange.NeverFlexible"/> when none is.</param>
/// <param name="MinServedVersion">Lowest version actually answered; versions from <paramref name="MinVersion"/> up to
/// this one are advertised for client feature probes only and are answered by closing the connection (Produce 0-2).</param>
public readonly record struct ApiVersionRange(
    ApiKey ApiKey,
    short MinVersion,
    short MaxVersion,
    short FirstFlexibleVersion,
    short MinServedVersion)
{
    /// <summary>Marks an API with no flexible version.</summary>
    public const short NeverFlexible = short.MaxValue;

    public ApiVersionRange(ApiKey apiKey, short minVersion, short maxVersion, short firstFlexibleVersion)
        : this(apiKey, minVersion, maxVersion, firstFlexibleVersion, minVersion)
    {
    }

    /// <summary>True when <paramref name="version"/> is advertised (it may still be unserved, see MinServedVersion).</summary>
    public bool IsAdvertised(short version) => version >= MinVersion && version <= MaxVersion;

    /// <summary>True when FastMQ answers <paramref name="version"/> (advertised and not below MinServedVersion).</summary>
    public bool IsServed(short version) => version >= MinServedVersion && version <= MaxVersion;

    /// <summary>Flexible encoding applies to <paramref name="version"/> (and to every later version).</summary>
    public bool IsFlexible(short version) => version >= FirstFlexibleVersion;
}
