using FastMQ.Core;

namespace FastMQ.Storage;

/// <summary>When a log issues fdatasync; see <see cref="CommitPolicy"/>.</summary>
public enum CommitMode
{
    /// <summary>fdatasync after every completed write; appends are acknowledged once it completes.</summary>
    FsyncEachWrite,
    /// <summary>fdatasync once <see cref="CommitPolicy.GroupIntervalMs"/> passed or <see cref="CommitPolicy.GroupBytes"/> were written.</summary>
    Group,
    /// <summary>No fdatasync on the append path; appends are acknowledged once written to the device.</summary>
    None,
}

/// <summary>
/// The flush policy of one log: which fdatasync calls the log issues by itself and which offset an owner may
/// acknowledge (<see cref="PartitionLog.AcknowledgeableOffset"/>).
/// </summary>
/// <remarks>
/// Writes coalesce on their own: a log has one write in flight, and every append made meanwhile goes out in the
/// next write. So <see cref="FsyncEachWrite"/> is already a group commit whose group is "whatever arrived during
/// the previous write + fsync", with no added latency; <see cref="Group(int, int)"/> trades latency for fewer
/// syncs. With <see cref="None"/>, acknowledged data survives a process crash (O_DIRECT writes have reached the
/// device) but not necessarily a power loss. Every policy syncs a segment when it is sealed and on close.
/// </remarks>
public sealed class CommitPolicy
{
    /// <summary>fdatasync after every completed write, before acknowledging (the default).</summary>
    public static readonly CommitPolicy FsyncEachWrite = new(CommitMode.FsyncEachWrite, 0, 0);

    /// <summary>Never fdatasync on the append path.</summary>
    public static readonly CommitPolicy None = new(CommitMode.None, 0, 0);

    private CommitPolicy(CommitMode mode, int groupIntervalMs, int groupBytes)
    {
        Mode = mode;
        GroupIntervalMs = groupIntervalMs;
        GroupBytes = groupBytes;
    }

    public CommitMode Mode { get; }

    /// <summary>Group commit: the longest a completed write waits for its fdatasync.</summary>
    public int GroupIntervalMs { get; }

    /// <summary>Group commit: written-but-unsynced bytes that trigger an fdatasync at once.</summary>
    public int GroupBytes { get; }

    /// <summary>Group commit: fdatasync every <paramref name="intervalMs"/> ms or <paramref name="bytes"/> bytes, whichever comes first.</summary>
    public static CommitPolicy Group(int intervalMs, int bytes)
    {
        if (intervalMs < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(intervalMs), "must not be negative");
        }
        if (bytes <= 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(bytes), "must be positive");
        }
        return new CommitPolicy(CommitMode.Group, intervalMs, bytes);
    }

    public override string ToString() => Mode == CommitMode.Group ? $"Group({GroupIntervalMs} ms, {GroupBytes} B)" : Mode.ToString();
}
