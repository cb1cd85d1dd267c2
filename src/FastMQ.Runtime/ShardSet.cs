using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Text;
using System.Threading;
using FastMQ.Core;
using FastMQ.Runtime.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastMQ.Runtime;

/// <summary>
/// The broker's shards: creates them, starts and stops them, decides which shard owns a partition and routes
/// messages to a shard's mailbox from any thread.
/// </summary>
/// <remarks>
/// <para>Ownership: partition (topic, index) belongs to shard <c>(TopicHash(UTF-8 topic) + index) mod ShardCount</c>
/// (FNV-1a with murmur3's finaliser).
/// The function is fixed (not <see cref="string.GetHashCode()"/>), so every process and restart with the same shard
/// count agrees, and a topic's consecutive partitions land on consecutive shards.</para>
/// <para>Sending: <see cref="Send"/> never drops. On a shard thread it goes through that shard's outbox and never
/// blocks (see <see cref="Shard.Post"/>); on any other thread (socket completions, admin) it waits while the target
/// mailbox is full: spin, then yield, then 1 ms sleeps. <see cref="TrySend"/> never waits. Messages from one sending
/// thread to one shard run in the order sent.</para>
/// <para>Lifecycle: construct, register work sources, <see cref="Start"/>, ..., <see cref="Stop"/> (drains every
/// mailbox; stop the producers, such as the network listener, first), <see cref="Dispose"/>.</para>
/// </remarks>
public sealed class ShardSet : IDisposable
{
    private const int SendSpins = 64;
    private const int SendYields = 64;

    private readonly Shard[] _shards;
    private readonly ReadOnlyCollection<Shard> _readOnlyShards;
    private readonly ShardSetOptions _options;
    private readonly ILogger _logger;
    private int _lifecycle; // 0 created, 1 started, 2 stopped, 3 disposed

    public ShardSet(ShardSetOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger("FastMQ.Runtime.ShardSet");
        ILogger shardLogger = loggerFactory.CreateLogger("FastMQ.Runtime.Shard");
        UsesDedicatedThreads = options.UseDedicatedThreads;

        IReadOnlyList<int>? cpus = options.Cpus;
        if (cpus is null && options.PinThreads && options.UseDedicatedThreads)
        {
            cpus = CorePinning.AllowedCpus(_logger);
        }
        bool pin = options.PinThreads && options.UseDedicatedThreads && cpus is { Count: > 0 };
        if (pin && options.ShardCount > cpus!.Count)
        {
            _logger.LogWarning("{Shards} shards on {Cpus} CPUs: some CPUs run several shards", options.ShardCount, cpus.Count);
        }
        _shards = new Shard[options.ShardCount];
        for (int i = 0; i < _shards.Length; i++)
        {
            int cpu = pin ? cpus![i % cpus.Count] : -1;
            _shards[i] = new Shard(this, new ShardId(i), cpu, options, shardLogger);
        }
        _readOnlyShards = Array.AsReadOnly(_shards);
    }

    public int Count => _shards.Length;

    /// <summary>False for a manually driven set (a simulator calls <see cref="Shard.DoWork"/>).</summary>
    public bool UsesDedicatedThreads { get; }

    public IReadOnlyList<Shard> Shards => _readOnlyShards;

    /// <summary>The shard with index <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>).</summary>
    public Shard this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_shards.Length)
            {
                ThrowHelper.ArgumentOutOfRange(nameof(index), $"no shard {index}: this set has shards 0 to {_shards.Length - 1}");
            }
            return _shards[index];
        }
    }

    public Shard this[ShardId id] => this[id.Value];

    /// <summary>The shard that owns partition <paramref name="partition"/> of <paramref name="topic"/>.</summary>
    public ShardId OwnerOf(string topic, PartitionId partition)
    {
        ArgumentNullException.ThrowIfNull(topic);
        // Kafka topic names are at most 249 ASCII characters; the heap fallback only serves absurd inputs.
        int max = Encoding.UTF8.GetMaxByteCount(topic.Length);
        Span<byte> utf8 = max <= 1024 ? stackalloc byte[max] : new byte[max];
        int n = Encoding.UTF8.GetBytes(topic, utf8);
        return OwnerOf(utf8[..n], partition);
    }

    /// <summary>The owner of a partition whose topic name is given as UTF-8 bytes (as parsed off the wire).</summary>
    public ShardId OwnerOf(ReadOnlySpan<byte> topicUtf8, PartitionId partition)
    {
        if (partition.Value < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(partition), $"partition index must be ≥ 0, was {partition.Value}");
        }
        uint hash = TopicHash(topicUtf8) + (uint)partition.Value;
        return new ShardId((int)(hash % (uint)_shards.Length));
    }

    /// <summary>
    /// Sends without waiting; false if the target's mailbox is full (on a shard thread: or earlier messages to that
    /// target still wait in the sender's outbox). Any thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">The target has stopped.</exception>
    /// <exception cref="ShardFaultedException">The target has faulted.</exception>
    public bool TrySend(ShardId target, in ShardMessage message)
    {
        CheckMessage(in message);
        Shard? current = Shard.Current;
        if (current is not null && ReferenceEquals(current.Set, this))
        {
            return current.TryPost(target, in message);
        }
        return this[target.Value].TryDeliver(in message);
    }

    /// <summary>
    /// Sends and never drops: on a shard thread via its outbox (never blocks); elsewhere waits while the target's
    /// mailbox is full. Throws like <see cref="TrySend"/> if the target stops or faults, also while waiting.
    /// </summary>
    public void Send(ShardId target, in ShardMessage message)
    {
        CheckMessage(in message);
        Shard? current = Shard.Current;
        if (current is not null && ReferenceEquals(current.Set, this))
        {
            current.Post(target, in message);
            return;
        }
        Shard shard = this[target.Value];
        if (!shard.TryDeliver(in message))
        {
            SendWaiting(shard, in message);
        }
    }

    /// <summary>Starts every shard's thread and returns once all run (pinned if configured).</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _lifecycle, 1, 0) != 0)
        {
            ThrowHelper.InvalidOperation("a ShardSet can be started only once");
        }
        foreach (Shard shard in _shards)
        {
            if (UsesDedicatedThreads)
            {
                shard.Start(_options.LifecycleTimeoutMs);
            }
            else
            {
                shard.StartManual();
            }
        }
        _logger.LogInformation("Started {Count} shards", _shards.Length);
    }

    /// <summary>
    /// Stops every shard after it drained its mailbox and outbox, waiting up to
    /// <see cref="ShardSetOptions.LifecycleTimeoutMs"/> per shard. Throws <see cref="ShardFaultedException"/> if a
    /// shard faulted (now or earlier) and <see cref="TimeoutException"/> if one did not stop in time.
    /// </summary>
    public void Stop()
    {
        if (Shard.Current is { } current && ReferenceEquals(current.Set, this) && UsesDedicatedThreads)
        {
            ThrowHelper.InvalidOperation($"Stop called on shard {current.Id.Value}'s own thread: it would wait for itself");
        }
        int previous = Interlocked.CompareExchange(ref _lifecycle, 2, 1);
        if (previous != 1)
        {
            if (previous == 0)
            {
                Interlocked.CompareExchange(ref _lifecycle, 2, 0);
            }
            return;
        }
        foreach (Shard shard in _shards)
        {
            shard.RequestStop();
        }
        if (UsesDedicatedThreads)
        {
            if (!WaitForQuiescence(Environment.TickCount64 + _options.LifecycleTimeoutMs))
            {
                _logger.LogWarning("Shards kept working for {Timeout} ms after the stop request; stopping them anyway", _options.LifecycleTimeoutMs);
            }
            foreach (Shard shard in _shards)
            {
                shard.AllowExit();
            }
        }
        else
        {
            DrainManually();
        }
        var late = new List<string>();
        foreach (Shard shard in _shards)
        {
            if (!shard.Join(_options.LifecycleTimeoutMs))
            {
                late.Add(shard.ToString());
            }
        }
        ReportLeftovers();
        ThrowIfAnyFaulted();
        if (late.Count > 0)
        {
            throw new TimeoutException($"shards did not stop within {_options.LifecycleTimeoutMs} ms: {string.Join(", ", late)}");
        }
        _logger.LogInformation("Stopped {Count} shards", _shards.Length);
    }

    /// <summary>Stops the set if it runs (ignoring errors, which <see cref="Stop"/> reports) and releases the parkers.</summary>
    public void Dispose()
    {
        if (Volatile.Read(ref _lifecycle) == 3)
        {
            return;
        }
        try
        {
            Stop();
        }
        catch (Exception ex) when (ex is ShardFaultedException or TimeoutException)
        {
            _logger.LogError(ex, "Shard set disposed with errors");
        }
        bool allEnded = true;
        foreach (Shard shard in _shards)
        {
            allEnded &= shard.Join(0);
        }
        if (allEnded)
        {
            foreach (Shard shard in _shards)
            {
                shard.DisposeResources();
            }
        }
        Volatile.Write(ref _lifecycle, 3);
    }

    internal void ReportFatal(Shard shard, Exception ex) => _options.OnFatalError?.Invoke(shard, ex);

    /// <summary>
    /// FNV-1a (32 bit) of the name, then murmur3's finaliser: FNV alone leaves its low bits depending only on the low
    /// bits of each byte, which a power-of-two shard count would expose. Stable across processes and versions.
    /// </summary>
    internal static uint TopicHash(ReadOnlySpan<byte> topicUtf8)
    {
        uint hash = 2166136261;
        foreach (byte b in topicUtf8)
        {
            hash = (hash ^ b) * 16777619;
        }
        hash ^= hash >> 16;
        hash *= 0x85EBCA6B;
        hash ^= hash >> 13;
        hash *= 0xC2B2AE35;
        hash ^= hash >> 16;
        return hash;
    }

    private static void CheckMessage(in ShardMessage message)
    {
        if (message.Work is null)
        {
            ThrowHelper.InvalidOperation("cannot send default(ShardMessage): it has no work to run");
        }
    }

    private static void SendWaiting(Shard shard, in ShardMessage message)
    {
        shard.CountBlockedSend();
        int attempt = 0;
        do
        {
            // The target is awake while its mailbox is non-empty (every publish notified it), so plain waiting is enough.
            if (attempt < SendSpins)
            {
                Thread.SpinWait(16);
            }
            else if (attempt < SendSpins + SendYields)
            {
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(1);
            }
            attempt++;
        }
        while (!shard.TryDeliver(in message));
    }

    /// <summary>
    /// Waits until no shard has anything left to do: two snapshots 1 ms apart in which every shard is between turns
    /// with an empty mailbox and outbox, and no shard did any work in between. Only then can no shard-to-shard message
    /// be in flight, so letting the loops exit loses nothing (producers outside the shards must have stopped).
    /// </summary>
    private bool WaitForQuiescence(long deadlineMs)
    {
        long[] before = new long[_shards.Length];
        while (Environment.TickCount64 < deadlineMs)
        {
            if (AllIdle(before, null))
            {
                Thread.Sleep(1);
                if (AllIdle(null, before))
                {
                    return true;
                }
            }
            else
            {
                Thread.Sleep(1);
            }
        }
        return false;
    }

    private bool AllIdle(long[]? record, long[]? compare)
    {
        for (int i = 0; i < _shards.Length; i++)
        {
            Shard shard = _shards[i];
            if (shard.State == ShardState.Faulted)
            {
                continue;
            }
            if (!shard.IsIdleSnapshot(out long work) || (compare is not null && compare[i] != work))
            {
                return false;
            }
            if (record is not null)
            {
                record[i] = work;
            }
        }
        return true;
    }

    private void DrainManually()
    {
        // No threads here: run turns on this thread until one full round over all shards does nothing.
        long deadline = Environment.TickCount64 + _options.LifecycleTimeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            int work = 0;
            foreach (Shard shard in _shards)
            {
                if (shard.State == ShardState.Stopping)
                {
                    work += shard.DoWork();
                }
            }
            if (work == 0)
            {
                break;
            }
        }
        foreach (Shard shard in _shards)
        {
            if (!shard.TryCompleteManualStop() && shard.State == ShardState.Stopping)
            {
                _logger.LogWarning("Shard {Shard} still had work when the manual stop gave up", shard.Id.Value);
            }
        }
    }

    private void ReportLeftovers()
    {
        foreach (Shard shard in _shards)
        {
            int left = shard.MailboxCount;
            if (left > 0)
            {
                // Sent after the shard had drained (a producer outlived Stop): reported, since nobody will run them.
                _logger.LogError("Shard {Shard} stopped with {Count} messages left in its mailbox", shard.Id.Value, left);
            }
        }
    }

    private void ThrowIfAnyFaulted()
    {
        foreach (Shard shard in _shards)
        {
            if (shard.State == ShardState.Faulted)
            {
                throw new ShardFaultedException($"shard {shard.Id.Value} faulted: {shard.Fault!.Message}", shard.Fault);
            }
        }
    }
}
