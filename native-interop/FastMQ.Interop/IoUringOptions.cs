namespace FastMQ.Interop;

/// <summary>Setup choices for <see cref="IoUring.TryCreate"/>.</summary>
public sealed class IoUringOptions
{
    /// <summary>
    /// Completion-queue size (IORING_SETUP_CQSIZE), rounded up to a power of two by the kernel; must be at least
    /// the submission-queue size.
    /// </summary>
    /// <remarks>Defaults to 0: the kernel's choice, twice the submission-queue size.</remarks>
    public uint CompletionQueueEntries { get; init; }

    /// <summary>
    /// IORING_SETUP_SINGLE_ISSUER (Linux 6.0+): promise that only the creating thread submits, which lets the kernel
    /// skip locking. Submitting from another thread then fails with EEXIST.
    /// </summary>
    /// <remarks>Defaults to false, because shards may create their ring on a startup thread.</remarks>
    public bool SingleIssuer { get; init; }

    /// <summary>
    /// IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG (Linux 5.19+): completions are posted when the thread
    /// next enters the kernel instead of interrupting it; the ring flags tell FastMQ when to enter.
    /// </summary>
    /// <remarks>Defaults to false.</remarks>
    public bool CooperativeTaskRun { get; init; }
}
