using System;
using System.Collections.Generic;

namespace FastMQ.Client.Internal;

/// <summary>Connection settings shared by every connection a <see cref="ClusterClient"/> opens. Immutable once built.</summary>
internal sealed class ClientOptions
{
    /// <summary>Brokers tried in order for the first connection.</summary>
    /// <remarks>Defaults to localhost:9092.</remarks>
    public IReadOnlyList<BrokerEndpoint> BootstrapServers { get; init; } = [new BrokerEndpoint("localhost", BrokerEndpoint.DefaultPort)];

    /// <summary>The client id of every request header (brokers log it and may quota by it).</summary>
    /// <remarks>Defaults to "fastmq".</remarks>
    public string ClientId { get; init; } = "fastmq";

    /// <summary>ApiVersions v3 ClientSoftwareName; letters, digits, '.' and '-' only (Kafka rejects others).</summary>
    /// <remarks>Defaults to "fastmq-client".</remarks>
    public string SoftwareName { get; init; } = "fastmq-client";

    /// <summary>ApiVersions v3 ClientSoftwareVersion; same character rules as <see cref="SoftwareName"/>.</summary>
    /// <remarks>Defaults to this assembly's version.</remarks>
    public string SoftwareVersion { get; init; } =
        typeof(ClientOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Time allowed for TCP connect (and so for a broker that is down to be reported).</summary>
    /// <remarks>Defaults to 10 seconds.</remarks>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for one request's response; must exceed any Fetch MaxWaitMs sent.</summary>
    /// <remarks>Defaults to 30 seconds.</remarks>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
