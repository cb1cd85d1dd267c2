using System.Collections.Generic;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Internal;

/// <summary>
/// The outcome of ApiVersions on one connection: what the broker advertised, and per API the version this client
/// uses, the highest one both sides implement. Immutable.
/// </summary>
internal sealed class NegotiatedVersions
{
    private readonly Dictionary<ApiKey, ApiVersionRange> _broker;
    private readonly Dictionary<ApiKey, short> _chosen;

    public NegotiatedVersions(IEnumerable<ApiVersionRange> brokerRanges)
    {
        _broker = [];
        foreach (ApiVersionRange r in brokerRanges)
        {
            _broker[r.ApiKey] = r;
        }
        _chosen = [];
        foreach (ApiVersionRange client in ClientApis.Table.Entries)
        {
            if (_broker.TryGetValue(client.ApiKey, out ApiVersionRange broker))
            {
                short high = client.MaxVersion < broker.MaxVersion ? client.MaxVersion : broker.MaxVersion;
                short low = client.MinVersion > broker.MinVersion ? client.MinVersion : broker.MinVersion;
                if (high >= low)
                {
                    _chosen[client.ApiKey] = high;
                }
            }
        }
    }

    /// <summary>Every API the broker advertised, in the order it listed them.</summary>
    public IReadOnlyCollection<ApiVersionRange> BrokerRanges => _broker.Values;

    /// <summary>The version to use for <paramref name="apiKey"/>, if the broker and this client share one.</summary>
    public bool TryGetVersion(ApiKey apiKey, out short version) => _chosen.TryGetValue(apiKey, out version);

    /// <summary>The version to use; throws <see cref="BrokerProtocolException"/> when there is none.</summary>
    public short Require(ApiKey apiKey)
    {
        if (_chosen.TryGetValue(apiKey, out short version))
        {
            return version;
        }
        ClientApis.Table.TryGet(apiKey, out ApiVersionRange client);
        string brokerSide = _broker.TryGetValue(apiKey, out ApiVersionRange b)
            ? $"versions {b.MinVersion}-{b.MaxVersion}"
            : "does not offer it";
        throw new BrokerProtocolException(
            $"the broker does not support {apiKey} in a version this client speaks (client {client.MinVersion}-{client.MaxVersion}, broker {brokerSide})");
    }
}
