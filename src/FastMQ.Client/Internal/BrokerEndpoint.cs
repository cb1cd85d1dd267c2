using System;
using System.Globalization;

namespace FastMQ.Client.Internal;

/// <summary>A broker's host and port, as given on a command line or advertised in Metadata.</summary>
internal readonly record struct BrokerEndpoint(string Host, int Port)
{
    /// <summary>Port used when an address has none (Kafka's default).</summary>
    public const int DefaultPort = 9092;

    /// <summary>
    /// Parses <c>host:port</c>, <c>host</c> (port 9092), <c>[v6addr]:port</c>. Throws <see cref="FormatException"/>
    /// with the offending text otherwise.
    /// </summary>
    public static BrokerEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        if (s.Length == 0)
        {
            throw new FormatException("empty broker address");
        }
        string host;
        string? port = null;
        if (s[0] == '[')
        {
            int close = s.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"'{text}' opens an IPv6 address with '[' but does not close it");
            }
            host = s[1..close];
            if (close + 1 < s.Length)
            {
                if (s[close + 1] != ':')
                {
                    throw new FormatException($"'{text}' has text after the IPv6 address that is not ':port'");
                }
                port = s[(close + 2)..];
            }
        }
        else
        {
            int colon = s.LastIndexOf(':');
            if (colon >= 0 && s.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                throw new FormatException($"'{text}': write IPv6 addresses as [address]:port");
            }
            host = colon < 0 ? s : s[..colon];
            port = colon < 0 ? null : s[(colon + 1)..];
        }
        if (host.Length == 0)
        {
            throw new FormatException($"'{text}' has no host");
        }
        int value = DefaultPort;
        if (port is not null
            && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value is < 1 or > 65535))
        {
            throw new FormatException($"'{text}' has an invalid port (expected 1-65535)");
        }
        return new BrokerEndpoint(host, value);
    }

    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
