using System;
using System.Collections.Generic;
using System.IO;
using FastMQ.Broker.Configuration;
using Microsoft.Extensions.Configuration;

namespace FastMQ.Server;

/// <summary>
/// Merges the broker's settings from, lowest precedence first: a properties file (<c>--config server.properties</c>, Kafka's
/// key=value format), environment variables (<c>FASTMQ_LOG_RETENTION_MS=…</c> → <c>log.retention.ms</c>), and the
/// command line (<c>--log.dirs=/data</c> or <c>--log.dirs /data</c>). Unknown settings fail start-up.
/// </summary>
internal static class ConfigLoader
{
    private const string EnvPrefix = "FASTMQ_";

    /// <summary>
    /// FASTMQ_* variables that name no setting (tool variables such as FASTMQ_BOOTSTRAP for the CLI) are skipped and
    /// reported here instead of failing start-up; unknown names in the file or on the command line do fail.
    /// </summary>
    public static List<string> IgnoredEnvironmentVariables { get; } = [];

    public static BrokerOptions Load(string[] args)
    {
        string? configFile = null;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                configFile = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                configFile = args[i]["--config=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        var merged = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new BrokerConfigException($"Config file '{configFile}' (from --config) does not exist.");
            }
            IConfigurationRoot file = new ConfigurationBuilder().AddIniFile(Path.GetFullPath(configFile), optional: false).Build();
            foreach (KeyValuePair<string, string?> kv in file.AsEnumerable())
            {
                merged[kv.Key] = kv.Value;
            }
        }
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            string name = (string)e.Key;
            if (name.StartsWith(EnvPrefix, StringComparison.Ordinal) && name.Length > EnvPrefix.Length)
            {
                string key = name[EnvPrefix.Length..].ToLowerInvariant().Replace('_', '.');
                if (BrokerSettings.Find(key) is null && !BrokerSettings.Aliases.ContainsKey(key))
                {
                    IgnoredEnvironmentVariables.Add(name);
                    continue;
                }
                merged[key] = (string?)e.Value;
            }
        }
        IConfigurationRoot cmd = new ConfigurationBuilder().AddCommandLine(rest.ToArray()).Build();
        foreach (KeyValuePair<string, string?> kv in cmd.AsEnumerable())
        {
            merged[kv.Key] = kv.Value;
        }
        return BrokerOptions.Load(merged);
    }
}
