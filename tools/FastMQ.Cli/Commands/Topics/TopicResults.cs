using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using FastMQ.Client.Internal;

namespace FastMQ.Cli.Commands.Topics;

/// <summary>Small helpers for per-topic results in admin responses.</summary>
internal static class TopicResults
{
    /// <summary>The result for <paramref name="name"/>; a response without it is a protocol error.</summary>
    public static T Single<T>(List<T> results, Func<T, string?> nameOf, string name, string api)
    {
        foreach (T result in results)
        {
            if (nameOf(result) == name)
            {
                return result;
            }
        }
        if (results.Count == 1 && nameOf(results[0]) is null)
        {
            return results[0];
        }
        throw new BrokerProtocolException($"the {api} response has no result for topic '{name}'");
    }

    /// <summary>A topic id for JSON output: null when the broker sent none (all zeros).</summary>
    public static JsonNode? IdOrNull(Guid id) => id == Guid.Empty ? null : JsonValue.Create(id.ToString());
}
