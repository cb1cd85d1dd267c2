using System;
using System.Collections.Generic;
using FastMQ.Core;

namespace FastMQ.Runtime;

/// <summary>Configuration of a <see cref="ShardSet"/>; read once by its constructor.</summary>
public sealed class ShardSetOptions
{
    /// <summary>Number of shards. <remarks>Defaults to <see cref="Environment.ProcessorCount"/>.</remarks></summary>
    public int ShardCount { get; set; } = Environment.ProcessorCount;

    /// <summary>Slots per shard mailbox, rounded up to a power of two. <remarks>Defaults to 4096.</remarks></summary>
    public int MailboxCapacity { get; set; } = 4096;

    /// <summary>
    /// Most mailbox messages run per loop turn before timers and work sources get their turn.
    /// <remarks>Defaults to 256.</remarks>
    /// </summary>
    public int MailboxBatchLimit { get; set; } = 256;

    /// <summary>Pin each shard thread to one CPU. <remarks>Defaults to true.</remarks></summary>
    public bool PinThreads { get; set; } = true;

    /// <summary>
    /// CPU for each shard (index = shard id); shorter lists wrap around. <remarks>Defaults to null: shard i gets the
    /// i-th CPU of the creating thread's affinity mask (so a container cpuset such as 4-7 is respected).</remarks>
    /// </summary>
    public IReadOnlyList<int>? Cpus { get; set; }

    /// <summary>
    /// Run each shard on its own thread. When false nothing runs until the owner calls <see cref="Shard.DoWork"/>
    /// (a deterministic simulator). <remarks>Defaults to true.</remarks>
    /// </summary>
    public bool UseDedicatedThreads { get; set; } = true;

    /// <summary>Idle turns spent spinning before yielding. <remarks>Defaults to <see cref="BackoffIdleStrategy.DefaultMaxSpins"/>.</remarks></summary>
    public int IdleSpins { get; set; } = BackoffIdleStrategy.DefaultMaxSpins;

    /// <summary>Idle turns spent yielding before parking. <remarks>Defaults to <see cref="BackoffIdleStrategy.DefaultMaxYields"/>.</remarks></summary>
    public int IdleYields { get; set; } = BackoffIdleStrategy.DefaultMaxYields;

    /// <summary>
    /// Longest sleep of an idle shard; also how late a work source whose events cannot wake the shard may be polled.
    /// <remarks>Defaults to <see cref="BackoffIdleStrategy.DefaultParkMs"/> (1 ms).</remarks>
    /// </summary>
    public int IdleParkMs { get; set; } = BackoffIdleStrategy.DefaultParkMs;

    /// <summary>Builds each shard's idle strategy instead of the default back-off. <remarks>Defaults to null.</remarks></summary>
    public Func<Shard, IIdleStrategy>? IdleStrategyFactory { get; set; }

    /// <summary>
    /// Called on a dying shard's thread after it logged its fatal error; a server typically starts an orderly
    /// shutdown or fails fast. <remarks>Defaults to null (the fault is logged and kept in <see cref="Shard.Fault"/>,
    /// and <see cref="ShardSet.Stop"/> throws it).</remarks>
    /// </summary>
    public Action<Shard, Exception>? OnFatalError { get; set; }

    /// <summary>Time source for turn timestamps and timers. <remarks>Defaults to <see cref="SystemClock.Instance"/>.</remarks></summary>
    public IClock Clock { get; set; } = SystemClock.Instance;

    /// <summary>Timer entries preallocated per shard (grows by doubling). <remarks>Defaults to 256.</remarks></summary>
    public int InitialTimerCapacity { get; set; } = 256;

    /// <summary>How long <see cref="ShardSet.Start"/> and <see cref="ShardSet.Stop"/> wait per shard. <remarks>Defaults to 10 000 ms.</remarks></summary>
    public int LifecycleTimeoutMs { get; set; } = 10_000;

    internal void Validate()
    {
        Check(ShardCount is >= 1 and <= 4096, nameof(ShardCount), $"must be between 1 and 4096, was {ShardCount}");
        Check(MailboxCapacity is >= 2 and <= 1 << 30, nameof(MailboxCapacity), $"must be between 2 and 2^30, was {MailboxCapacity}");
        Check(MailboxBatchLimit >= 1, nameof(MailboxBatchLimit), $"must be ≥ 1, was {MailboxBatchLimit}");
        Check(IdleSpins >= 0 && IdleYields >= 0, nameof(IdleSpins), $"spin and yield counts must be ≥ 0, were {IdleSpins} and {IdleYields}");
        Check(IdleParkMs >= 1, nameof(IdleParkMs), $"must be ≥ 1 ms, was {IdleParkMs}");
        Check(InitialTimerCapacity >= 1, nameof(InitialTimerCapacity), $"must be ≥ 1, was {InitialTimerCapacity}");
        Check(LifecycleTimeoutMs >= 1, nameof(LifecycleTimeoutMs), $"must be ≥ 1 ms, was {LifecycleTimeoutMs}");
        Check(Cpus is null || Cpus.Count > 0, nameof(Cpus), "must be null or list at least one CPU");
        ArgumentNullException.ThrowIfNull(Clock);
    }

    private static void Check(bool ok, string name, string message)
    {
        if (!ok)
        {
            ThrowHelper.ArgumentOutOfRange(name, $"ShardSetOptions.{name} {message}");
        }
    }
}
