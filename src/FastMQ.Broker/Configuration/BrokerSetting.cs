using System;
using System.Globalization;

namespace FastMQ.Broker.Configuration;

/// <summary>Where a setting may be given: broker-wide only, or also per topic (with the topic-level name).</summary>
public enum SettingScope
{
    Broker,
    BrokerAndTopic,
}

/// <summary>
/// One known configuration property, named as in Kafka where Kafka has it (<c>log.retention.ms</c>), with its default,
/// its topic-level name (<c>retention.ms</c>) and a parser that rejects invalid values with a message.
/// </summary>
public sealed class BrokerSetting
{
    public BrokerSetting(string name, string defaultValue, string description, Func<string, object> parse, string? topicName = null)
    {
        Name = name;
        DefaultValue = defaultValue;
        Description = description;
        Parse = parse;
        TopicName = topicName;
    }

    public string Name { get; }

    /// <summary>The per-topic name (CreateTopics configs, DescribeConfigs), or null when broker-only.</summary>
    public string? TopicName { get; }

    public string DefaultValue { get; }

    public string Description { get; }

    public Func<string, object> Parse { get; }

    public static object ParseLong(string name, string value, long min, long max)
    {
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) || v < min || v > max)
        {
            throw new BrokerConfigException($"Invalid value '{value}' for setting '{name}': expected an integer in [{min}, {max}].");
        }
        return v;
    }

    public static object ParseBool(string name, string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new BrokerConfigException($"Invalid value '{value}' for setting '{name}': expected true or false."),
    };

    public static object ParseChoice(string name, string value, params string[] choices)
    {
        foreach (string c in choices)
        {
            if (string.Equals(c, value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }
        throw new BrokerConfigException($"Invalid value '{value}' for setting '{name}': expected one of {string.Join(", ", choices)}.");
    }
}
