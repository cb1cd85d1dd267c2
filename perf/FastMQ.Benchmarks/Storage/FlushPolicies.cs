using System;
using FastMQ.Storage;

namespace FastMQ.Benchmarks.Storage;

/// <summary>Maps <see cref="FlushPolicy"/> to the log's <see cref="CommitPolicy"/> and parses it from the command line.</summary>
public static class FlushPolicies
{
    /// <summary>Group commit interval used by the benchmarks: a sync at most every 5 ms …</summary>
    public const int GroupIntervalMs = 5;

    /// <summary>… or as soon as 4 MiB are written but not yet synced.</summary>
    public const int GroupBytes = 4 << 20;

    public static CommitPolicy ToCommitPolicy(this FlushPolicy policy, int groupIntervalMs = GroupIntervalMs, int groupBytes = GroupBytes) =>
        policy switch
        {
            FlushPolicy.Fsync => CommitPolicy.FsyncEachWrite,
            FlushPolicy.Group => CommitPolicy.Group(groupIntervalMs, groupBytes),
            FlushPolicy.None => CommitPolicy.None,
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown flush policy"),
        };

    /// <summary>Parses "fsync", "group" or "none" (case-insensitive).</summary>
    public static FlushPolicy Parse(string value) =>
        value.Trim().ToUpperInvariant() switch
        {
            "FSYNC" => FlushPolicy.Fsync,
            "GROUP" => FlushPolicy.Group,
            "NONE" => FlushPolicy.None,
            _ => throw new ArgumentException($"--policy must be fsync, group or none, not '{value}'", nameof(value)),
        };
}
