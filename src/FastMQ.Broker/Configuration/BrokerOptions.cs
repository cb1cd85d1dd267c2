using System;
using System.Collections.Generic;
using System.Globalization;

namespace FastMQ.Broker.Configuration;

/// <summary>
/// The broker's validated configuration. Built from flat key/value pairs (a properties file, environment variables and
/// the command line, merged by the caller); an unknown key or an invalid value throws <see cref="BrokerConfigException"/>
/// naming the setting.
/// </summary>
public sealed class BrokerOptions
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _raw = new(StringComparer.Ordinal);

    private BrokerOptions()
    {
    }

    public int NodeId => (int)(long)_values["node.id"];
    public string Listeners => (string)_values["listeners"];
    public string AdvertisedListeners => _raw["advertised.listeners"].Length > 0 ? (string)_values["advertised.listeners"] : Listeners;
    public string DataDirectory => (string)_values["log.dirs"];
    public int NumPartitions => (int)(long)_values["num.partitions"];
    public bool AutoCreateTopics => (bool)_values["auto.create.topics.enable"];
    public bool DeleteTopicEnable => (bool)_values["delete.topic.enable"];
    public long RetentionCheckIntervalMs => (long)_values["log.retention.check.interval.ms"];
    public int SocketRequestMaxBytes => (int)(long)_values["socket.request.max.bytes"];
    public int Shards => (int)(long)_values["fastmq.shards"] is > 0 and var n ? n : Environment.ProcessorCount;
    public string IoBackend => (string)_values["fastmq.io.backend"];
    public int TailCacheBytes => (int)(long)_values["fastmq.tail.cache.bytes"];
    public int MetricsPort => (int)(long)_values["fastmq.metrics.port"];
    public string MetricsHost => (string)_values["fastmq.metrics.host"];
    public int ShardStallThresholdMs => (int)(long)_values["fastmq.shard.stall.threshold.ms"];
    public int ShardIdleSpins => (int)(long)_values["fastmq.shard.idle.spins"];
    public int ShardIdleYields => (int)(long)_values["fastmq.shard.idle.yields"];
    public int ShardIdleWaitUs => (int)(long)_values["fastmq.shard.idle.wait.us"];

    /// <summary>The broker-wide defaults of the topic-level settings.</summary>
    public TopicConfig DefaultTopicConfig { get; private set; } = null!;

    /// <summary>The value of a setting as given (or its default), for DescribeConfigs.</summary>
    public string RawValue(string name) => _raw[name];

    public bool IsDefault(string name) => !_explicit.Contains(name);

    private readonly HashSet<string> _explicit = new(StringComparer.Ordinal);

    public static BrokerOptions Defaults() => Load([]);

    public static BrokerOptions Load(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var options = new BrokerOptions();
        foreach (BrokerSetting s in BrokerSettings.All)
        {
            options._raw[s.Name] = s.DefaultValue;
        }
        foreach ((string rawKey, string? rawValue) in settings)
        {
            if (rawValue is null)
            {
                continue;
            }
            string key = rawKey.Trim();
            string value = rawValue.Trim();
            if (BrokerSettings.Aliases.TryGetValue(key, out string? target))
            {
                value = ConvertAliasUnit(key, value);
                key = target;
            }
            if (BrokerSettings.Find(key) is null)
            {
                throw new BrokerConfigException($"Unknown setting '{rawKey}'. Known settings: {KnownNames()}.");
            }
            options._raw[key] = value;
            options._explicit.Add(key);
        }
        foreach (BrokerSetting s in BrokerSettings.All)
        {
            options._values[s.Name] = s.Parse(options._raw[s.Name]);
        }
        options.DefaultTopicConfig = TopicConfig.FromBroker(options);
        ListenerAddress.ParseList("listeners", options.Listeners);
        ListenerAddress.ParseList("advertised.listeners", options.AdvertisedListeners);
        return options;
    }

    internal object Value(string name) => _values[name];

    private static string ConvertAliasUnit(string alias, string value)
    {
        long factor = alias switch
        {
            "log.retention.hours" or "log.roll.hours" => 3_600_000,
            "log.retention.minutes" => 60_000,
            _ => 1,
        };
        if (factor == 1)
        {
            return value;
        }
        long v = (long)BrokerSetting.ParseLong(alias, value, -1, long.MaxValue / factor);
        return (v < 0 ? v : v * factor).ToString(CultureInfo.InvariantCulture);
    }

    private static string KnownNames()
    {
        var names = new List<string>();
        foreach (BrokerSetting s in BrokerSettings.All)
        {
            names.Add(s.Name);
        }
        return string.Join(", ", names);
    }
}
