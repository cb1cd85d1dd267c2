namespace FastMQ.Benchmarks.Storage;

/// <summary>The three flush policies the storage benchmarks compare; <see cref="FlushPolicies.ToCommitPolicy"/> maps them.</summary>
public enum FlushPolicy
{
    /// <summary>fdatasync after every write, before acknowledging (<c>CommitPolicy.FsyncEachWrite</c>).</summary>
    Fsync,

    /// <summary>Group commit: fdatasync every <see cref="FlushPolicies.GroupIntervalMs"/> ms or <see cref="FlushPolicies.GroupBytes"/> bytes.</summary>
    Group,

    /// <summary>No fdatasync on the append path (<c>CommitPolicy.None</c>).</summary>
    None,
}
