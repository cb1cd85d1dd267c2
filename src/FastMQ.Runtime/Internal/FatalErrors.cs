using System;

namespace FastMQ.Runtime.Internal;

/// <summary>Which exceptions from work items and timer callbacks stop a shard instead of being logged and skipped.</summary>
internal static class FatalErrors
{
    /// <summary>
    /// <see cref="ShardFatalException"/> is the explicit request; running out of memory leaves no state worth trusting.
    /// </summary>
    public static bool IsFatal(Exception ex) => ex is ShardFatalException or OutOfMemoryException;
}
