using System;
using System.Collections.Generic;
using System.ComponentModel;
using FastMQ.Cli.Output;
using FastMQ.Client.Internal;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Cli.Commands;

/// <summary>Options every command accepts, before or after the command name.</summary>
internal class GlobalSettings : CommandSettings
{
    /// <summary>Environment variable read when --bootstrap-server is not given.</summary>
    public const string BootstrapEnvironmentVariable = "FASTMQ_BOOTSTRAP";

    /// <summary>Used when neither the option nor the environment variable is set.</summary>
    public const string DefaultBootstrap = "localhost:9092";

    /// <summary>The options <see cref="GlobalOptions"/> may move from before the command name to after it.</summary>
    public static readonly string[] OptionNames = ["-b", "--bootstrap-server", "-o", "--output", "--request-timeout-ms"];

    [CommandOption("-b|--bootstrap-server <HOST:PORT>")]
    [Description("Broker address(es) to start from, comma-separated. Defaults to $FASTMQ_BOOTSTRAP, then localhost:9092.")]
    public string? BootstrapServer { get; set; }

    [CommandOption("-o|--output <FORMAT>")]
    [Description("table (for people) or json (one JSON document on stdout).")]
    [DefaultValue("table")]
    public string Output { get; set; } = "table";

    [CommandOption("--request-timeout-ms <MS>")]
    [Description("How long to wait for each broker response.")]
    [DefaultValue(30000)]
    public int RequestTimeoutMs { get; set; } = 30000;

    public OutputFormat Format => string.Equals(Output, "json", StringComparison.OrdinalIgnoreCase)
        ? OutputFormat.Json
        : OutputFormat.Table;

    public override ValidationResult Validate()
    {
        if (!string.Equals(Output, "json", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Output, "table", StringComparison.OrdinalIgnoreCase))
        {
            return ValidationResult.Error($"--output must be 'table' or 'json', not '{Output}'");
        }
        if (RequestTimeoutMs <= 0)
        {
            return ValidationResult.Error("--request-timeout-ms must be positive");
        }
        try
        {
            _ = ParseBootstrap();
        }
        catch (FormatException e)
        {
            return ValidationResult.Error($"invalid bootstrap server: {e.Message}");
        }
        return ValidationResult.Success();
    }

    public ClientOptions ToClientOptions() => new()
    {
        BootstrapServers = ParseBootstrap(),
        ClientId = "fastmq-cli",
        SoftwareName = "fastmq-cli",
        RequestTimeout = TimeSpan.FromMilliseconds(RequestTimeoutMs),
    };

    private List<BrokerEndpoint> ParseBootstrap()
    {
        string text = BootstrapServer
            ?? Environment.GetEnvironmentVariable(BootstrapEnvironmentVariable)
            ?? DefaultBootstrap;
        var endpoints = new List<BrokerEndpoint>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            endpoints.Add(BrokerEndpoint.Parse(part));
        }
        if (endpoints.Count == 0)
        {
            throw new FormatException($"'{text}' names no broker");
        }
        return endpoints;
    }
}
