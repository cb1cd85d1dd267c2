using System;
using System.Collections.Generic;
using System.Globalization;
using FastMQ.Client.Internal;

namespace FastMQ.Client;

/// <summary>
/// Settings every FastMQ client shares (producer and consumer): where the cluster is, how the client names itself, and
/// how long it waits for the network. Set properties directly, or by their Kafka/librdkafka names with <see cref="Set"/>.
/// </summary>
/// <remarks>
/// A config object is read once, when the client is built; changing it afterwards does not affect a running client.
/// Not thread-safe while being filled in.
/// </remarks>
public abstract class ClientConfig
{
    /// <summary>Comma-separated <c>host:port</c> list of brokers tried in order for the first connection (<c>bootstrap.servers</c>).</summary>
    /// <remarks>Defaults to <c>localhost:9092</c>.</remarks>
    public string BootstrapServers { get; set; } = "localhost:9092";

    /// <summary>The client id written in every request header; brokers log it and may apply quotas by it (<c>client.id</c>).</summary>
    /// <remarks>Defaults to <c>fastmq</c>.</remarks>
    public string ClientId { get; set; } = "fastmq";

    /// <summary>Time allowed for one request's response before the connection is considered broken (<c>request.timeout.ms</c>).</summary>
    /// <remarks>Defaults to 30 seconds.</remarks>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for a TCP connect to a broker (<c>socket.connection.setup.timeout.ms</c>).</summary>
    /// <remarks>Defaults to 10 seconds.</remarks>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sets one setting by its Kafka property name (e.g. <c>bootstrap.servers</c>, <c>linger.ms</c>). Throws
    /// <see cref="ArgumentException"/> naming the property when the name is unknown or the value is not valid for it.
    /// </summary>
    public void Set(string kafkaPropertyName, string value)
    {
        ArgumentNullException.ThrowIfNull(kafkaPropertyName);
        ArgumentNullException.ThrowIfNull(value);
        string name = kafkaPropertyName.Trim();
        string v = value.Trim();
        switch (name)
        {
            case "bootstrap.servers":
            case "metadata.broker.list":
                _ = ParseServers(name, v);
                BootstrapServers = v;
                return;
            case "client.id":
                ClientId = v;
                return;
            case "request.timeout.ms":
            case "socket.timeout.ms":
                RequestTimeout = ParseMilliseconds(name, v, 1, int.MaxValue);
                return;
            case "socket.connection.setup.timeout.ms":
                ConnectTimeout = ParseMilliseconds(name, v, 1, int.MaxValue);
                return;
        }
        if (!TrySet(name, v))
        {
            throw new ArgumentException(
                $"unknown {GetType().Name} property '{name}' (Kafka property names are case-sensitive)", nameof(kafkaPropertyName));
        }
    }

    /// <summary>Sets every pair with <see cref="Set"/>, in order.</summary>
    public void SetAll(IEnumerable<KeyValuePair<string, string>> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        foreach (KeyValuePair<string, string> p in properties)
        {
            Set(p.Key, p.Value);
        }
    }

    /// <summary>
    /// Sets a property the derived config owns. Returns false when the name is not one of its properties; throws
    /// <see cref="ArgumentException"/> (use the <c>Parse…</c> helpers) when the value is invalid.
    /// </summary>
    protected virtual bool TrySet(string name, string value) => false;

    /// <summary>Parses an integer in [<paramref name="min"/>, <paramref name="max"/>] or throws naming <paramref name="name"/>.</summary>
    protected static int ParseInt32(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result)
            || result < min || result > max)
        {
            throw new ArgumentException($"'{value}' is not a valid value for '{name}' (expected an integer {min}..{max})", name);
        }
        return result;
    }

    /// <summary>Parses a 64-bit integer in [<paramref name="min"/>, <paramref name="max"/>] or throws naming <paramref name="name"/>.</summary>
    protected static long ParseInt64(string name, string value, long min, long max)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long result)
            || result < min || result > max)
        {
            throw new ArgumentException($"'{value}' is not a valid value for '{name}' (expected an integer {min}..{max})", name);
        }
        return result;
    }

    /// <summary>Parses a millisecond count in [<paramref name="minMs"/>, <paramref name="maxMs"/>] as a <see cref="TimeSpan"/>.</summary>
    protected static TimeSpan ParseMilliseconds(string name, string value, int minMs, int maxMs) =>
        TimeSpan.FromMilliseconds(ParseInt32(name, value, minMs, maxMs));

    /// <summary>Parses <c>true</c>/<c>false</c> (any case) or throws naming <paramref name="name"/>.</summary>
    protected static bool ParseBoolean(string name, string value)
    {
        if (bool.TryParse(value, out bool result))
        {
            return result;
        }
        throw new ArgumentException($"'{value}' is not a valid value for '{name}' (expected true or false)", name);
    }

    /// <summary>Checks the shared settings; derived configs extend it. Throws <see cref="ArgumentException"/> naming the setting.</summary>
    protected virtual void Validate()
    {
        _ = ParseServers("bootstrap.servers", BootstrapServers ?? "");
        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"request.timeout.ms must be positive, not {RequestTimeout}", "request.timeout.ms");
        }
        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"socket.connection.setup.timeout.ms must be positive, not {ConnectTimeout}",
                "socket.connection.setup.timeout.ms");
        }
    }

    /// <summary>Validates and maps the shared settings to the transport's options.</summary>
    internal ClientOptions ToClientOptions()
    {
        Validate();
        return new ClientOptions
        {
            BootstrapServers = ParseServers("bootstrap.servers", BootstrapServers),
            ClientId = ClientId ?? "",
            RequestTimeout = RequestTimeout,
            ConnectTimeout = ConnectTimeout,
        };
    }

    private static List<BrokerEndpoint> ParseServers(string name, string value)
    {
        var result = new List<BrokerEndpoint>();
        foreach (string part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                result.Add(BrokerEndpoint.Parse(part));
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"'{value}' is not a valid value for '{name}': {e.Message}", name, e);
            }
        }
        if (result.Count == 0)
        {
            throw new ArgumentException($"'{name}' needs at least one host:port", name);
        }
        return result;
    }
}
