using System;
using System.Collections.Generic;
using System.Globalization;

namespace FastMQ.Broker.Configuration;

/// <summary>A listener such as <c>PLAINTEXT://localhost:9092</c>.</summary>
public readonly record struct ListenerAddress(string Name, string Host, int Port)
{
    public static IReadOnlyList<ListenerAddress> ParseList(string setting, string value)
    {
        var result = new List<ListenerAddress>();
        foreach (string part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result.Add(Parse(setting, part));
        }
        if (result.Count == 0)
        {
            throw new BrokerConfigException($"Invalid value '{value}' for setting '{setting}': no listener given.");
        }
        return result;
    }

    public static ListenerAddress Parse(string setting, string text)
    {
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        string name = scheme > 0 ? text[..scheme] : "PLAINTEXT";
        string rest = scheme > 0 ? text[(scheme + 3)..] : text;
        int colon = rest.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            throw new BrokerConfigException($"Invalid value '{text}' for setting '{setting}': expected NAME://host:port.");
        }
        if (!string.Equals(name, "PLAINTEXT", StringComparison.OrdinalIgnoreCase))
        {
            throw new BrokerConfigException($"Invalid value '{text}' for setting '{setting}': only PLAINTEXT listeners are supported so far.");
        }
        string host = rest[..colon].Trim('[', ']');
        return new ListenerAddress(name.ToUpperInvariant(), host, port);
    }
}
