using System;

namespace FastMQ.Broker.Metadata;

/// <summary>Kafka's topic-name rules: 1–249 characters of [a-zA-Z0-9._-], and not "." or "..".</summary>
public static class TopicNames
{
    public const int MaxLength = 249;

    /// <summary>Null when valid, else the reason (for INVALID_TOPIC_EXCEPTION messages).</summary>
    public static string? Validate(ReadOnlySpan<char> name)
    {
        if (name.Length == 0)
        {
            return "topic name is empty";
        }
        if (name.Length > MaxLength)
        {
            return $"topic name is longer than {MaxLength} characters";
        }
        if (name is "." or "..")
        {
            return "topic name cannot be '.' or '..'";
        }
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"topic name contains '{c}'; allowed are ASCII letters, digits, '.', '_' and '-'";
            }
        }
        return null;
    }
}
