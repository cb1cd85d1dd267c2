using System;
using System.Collections.Generic;

namespace FastMQ.Protocol.Messages;

/// <summary>
/// The APIs FastMQ advertises in ApiVersions, with each one's version range and first flexible version.
/// Immutable; one instance is shared by every connection.
/// </summary>
/// <remarks>
/// <para>The ranges of <see cref="Default"/> are those of kafka-protocol.md §2.1 and are load-bearing: old librdkafka
/// checks for exact versions inside them (Produce 0 and 3, Fetch 4, InitProducerId 0, ListOffsets 1). Adding an API is
/// one line in <see cref="DefaultEntries"/>, once its codec exists.</para>
/// <para>Lookup is an array indexed by API key, so <see cref="TryGet"/> is branch-light and allocation-free.</para>
/// </remarks>
public sealed class ApiVersionsTable
{
    private static readonly ApiVersionRange[] DefaultEntries =
    [
        new(ApiKey.Produce, 0, 11, 9, MinServedVersion: 3),
        new(ApiKey.Fetch, 4, 12, 12),
        new(ApiKey.ListOffsets, 1, 7, 6),
        new(ApiKey.Metadata, 0, 12, 9),
        new(ApiKey.ApiVersions, 0, 3, 3),
        new(ApiKey.CreateTopics, 2, 7, 5),
        new(ApiKey.DeleteTopics, 1, 6, 4),
        new(ApiKey.DeleteRecords, 0, 2, 2),
        new(ApiKey.InitProducerId, 0, 4, 2),
        new(ApiKey.OffsetForLeaderEpoch, 2, 4, 4),
        new(ApiKey.DescribeConfigs, 1, 4, 4),
        new(ApiKey.CreatePartitions, 0, 3, 2),
    ];

    // The consumer-group APIs (kafka-protocol.md §2.1). Their codecs exist, but they stay out of Default until the
    // broker serves them: clients pick a group coordinator as soon as FindCoordinator is advertised.
    private static readonly ApiVersionRange[] GroupEntries =
    [
        new(ApiKey.OffsetCommit, 2, 9, 8),
        new(ApiKey.OffsetFetch, 1, 9, 6),
        new(ApiKey.FindCoordinator, 0, 4, 3),
        new(ApiKey.JoinGroup, 0, 9, 6),
        new(ApiKey.Heartbeat, 0, 4, 4),
        new(ApiKey.LeaveGroup, 0, 5, 4),
        new(ApiKey.SyncGroup, 0, 5, 4),
        new(ApiKey.DescribeGroups, 0, 5, 5),
        new(ApiKey.ListGroups, 0, 5, 3),
        new(ApiKey.DeleteGroups, 0, 2, 2),
        new(ApiKey.OffsetDelete, 0, 0, ApiVersionRange.NeverFlexible),
    ];

    private readonly ApiVersionRange[] _entries;
    private readonly ApiVersionRange?[] _byKey;

    /// <summary>The ranges FastMQ advertises (kafka-protocol.md §2.1), in API-key order.</summary>
    public static ApiVersionsTable Default { get; } = new(DefaultEntries);

    /// <summary>
    /// <see cref="Default"/> plus the consumer-group APIs (keys 8-16, 42, 47). Not advertised yet: switch to it (or
    /// merge the entries into <see cref="Default"/>) once the broker implements group coordination.
    /// </summary>
    public static ApiVersionsTable WithGroups { get; } = new([.. DefaultEntries, .. GroupEntries]);

    public ApiVersionsTable(IEnumerable<ApiVersionRange> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = new List<ApiVersionRange>(entries);
        list.Sort(static (a, b) => ((short)a.ApiKey).CompareTo((short)b.ApiKey));
        short maxKey = 0;
        foreach (ApiVersionRange e in list)
        {
            if ((short)e.ApiKey < 0 || e.MinVersion < 0 || e.MaxVersion < e.MinVersion
                || e.MinServedVersion < e.MinVersion || e.MinServedVersion > e.MaxVersion)
            {
                throw new ArgumentException($"Invalid ApiVersions entry {e}.", nameof(entries));
            }
            maxKey = Math.Max(maxKey, (short)e.ApiKey);
        }
        _byKey = new ApiVersionRange?[maxKey + 1];
        foreach (ApiVersionRange e in list)
        {
            if (_byKey[(short)e.ApiKey] is not null)
            {
                throw new ArgumentException($"Duplicate ApiVersions entry for {e.ApiKey}.", nameof(entries));
            }
            _byKey[(short)e.ApiKey] = e;
        }
        _entries = list.ToArray();
    }

    /// <summary>Entries in ascending API-key order (the order ApiVersions responses list them).</summary>
    public ReadOnlySpan<ApiVersionRange> Entries => _entries;

    public bool TryGet(ApiKey apiKey, out ApiVersionRange range)
    {
        short key = (short)apiKey;
        if ((uint)key < (uint)_byKey.Length && _byKey[key] is { } found)
        {
            range = found;
            return true;
        }
        range = default;
        return false;
    }

    /// <summary>The entry for <paramref name="apiKey"/>; throws if the API is not in the table.</summary>
    public ApiVersionRange Get(ApiKey apiKey)
    {
        if (!TryGet(apiKey, out ApiVersionRange range))
        {
            throw new KeyNotFoundException($"API {apiKey} is not in the ApiVersions table.");
        }
        return range;
    }

    /// <summary>True when the API is listed and <paramref name="version"/> is answered (not only advertised).</summary>
    public bool IsServed(ApiKey apiKey, short version) => TryGet(apiKey, out ApiVersionRange r) && r.IsServed(version);

    /// <summary>True when the API is listed and <paramref name="version"/> uses the flexible encoding.</summary>
    public bool IsFlexible(ApiKey apiKey, short version) => TryGet(apiKey, out ApiVersionRange r) && r.IsFlexible(version);
}
