using System;
using System.Threading;
using FastMQ.Core;
using Microsoft.Extensions.Logging;

namespace FastMQ.Runtime;

/// <summary>
/// Watchdog for a <see cref="ShardSet"/>: one background thread that notices a shard whose current loop turn has been
/// running for <see cref="ThresholdMs"/> or longer (a work item, timer or work source that blocks or spins), logs one
/// warning per stall naming what the shard was doing, counts it, and logs again when the shard moves on.
/// </summary>
/// <remarks>
/// <para>Cost to the shards: none beyond the counters they publish anyway (<see cref="Shard.Turns"/>,
/// <see cref="Shard.LastTurnStartNs"/>, <see cref="Shard.Activity"/>, <see cref="Shard.CurrentWorkType"/>); the
/// detector only reads them. A shard that is idle or parked is never stalled, however long it sleeps.</para>
/// <para>Threading: counters are written by the detector's thread and readable from any thread. Checks run every
/// quarter threshold (at least 5 ms, at most 250 ms), so a stall is reported between 1× and 1.25× the threshold after
/// its turn began. The clock must be the set's (<see cref="ShardSetOptions.Clock"/>).</para>
/// </remarks>
public sealed class ShardStallDetector : IDisposable
{
    private const long NoStall = -1;

    private readonly ShardSet _set;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly long _thresholdNs;
    private readonly int _intervalMs;
    private readonly long[] _stalledTurn;
    private readonly long[] _stalledSinceNs;
    private readonly long[] _stalls;
    private readonly ManualResetEventSlim _stop = new(false);
    private Thread? _thread;
    private long _total;

    /// <param name="set">The shards to watch.</param>
    /// <param name="thresholdMs">How long one loop turn may run before it counts as a stall (≥ 1).</param>
    /// <param name="logger">Receives the stall warnings and recovery notes.</param>
    /// <param name="clock">The set's clock (<see cref="ShardSetOptions.Clock"/>); defaults to the system clock.</param>
    public ShardStallDetector(ShardSet set, int thresholdMs, ILogger logger, IClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(logger);
        if (thresholdMs < 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(thresholdMs), $"the stall threshold must be ≥ 1 ms, was {thresholdMs}");
        }
        _set = set;
        _clock = clock ?? SystemClock.Instance;
        _logger = logger;
        ThresholdMs = thresholdMs;
        _thresholdNs = thresholdMs * 1_000_000L;
        _intervalMs = Math.Clamp(thresholdMs / 4, 5, 250);
        _stalledTurn = new long[set.Count];
        _stalledSinceNs = new long[set.Count];
        _stalls = new long[set.Count];
        Array.Fill(_stalledTurn, NoStall);
    }

    public int ThresholdMs { get; }

    /// <summary>Stalls seen on all shards since start.</summary>
    public long Stalls => Volatile.Read(ref _total);

    /// <summary>Stalls seen on shard <paramref name="shardIndex"/>.</summary>
    public long StallsOf(int shardIndex) => Volatile.Read(ref _stalls[shardIndex]);

    /// <summary>True while shard <paramref name="shardIndex"/> is in a stall the detector has reported.</summary>
    public bool IsStalled(int shardIndex) => Volatile.Read(ref _stalledTurn[shardIndex]) != NoStall;

    /// <summary>Starts the watchdog thread. Call once.</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            ThrowHelper.InvalidOperation("the stall detector is already started");
        }
        _thread = new Thread(Run)
        {
            Name = "fastmq-stall-detector",
            // Background: diagnostics must never keep the process alive.
            IsBackground = true,
        };
        _thread.Start();
    }

    /// <summary>Stops the thread (waits for the current check to finish).</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread?.Join();
        _stop.Dispose();
    }

    /// <summary>One pass over every shard; the thread calls it every interval (tests may call it directly).</summary>
    public void Check()
    {
        long nowNs = _clock.MonotonicNs;
        for (int i = 0; i < _set.Count; i++)
        {
            Check(i, _set[i], nowNs);
        }
    }

    private void Run()
    {
        while (!_stop.Wait(_intervalMs))
        {
            try
            {
                Check();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The watchdog must outlive its own bugs: report and keep watching.
                _logger.LogError(ex, "Shard stall check failed");
            }
        }
    }

    private void Check(int index, Shard shard, long nowNs)
    {
        ShardState state = shard.State;
        ShardActivity activity = shard.Activity;
        // Read the turn counter before its start time: the shard writes the start first, so a start time read after
        // the counter belongs to that turn or a later one, never to an earlier one (no false stall on a new turn).
        long turn = shard.Turns;
        long startNs = shard.LastTurnStartNs;
        bool running = state is ShardState.Running or ShardState.Stopping;
        bool between = activity is ShardActivity.Idle or ShardActivity.Parked or ShardActivity.NotStarted or ShardActivity.Exited;

        long stalledTurn = _stalledTurn[index];
        if (stalledTurn != NoStall && (turn != stalledTurn || between || !running))
        {
            long ms = (nowNs - _stalledSinceNs[index]) / 1_000_000;
            Volatile.Write(ref _stalledTurn[index], NoStall);
            _logger.LogInformation("Shard {Shard} moved on after a stall of about {Ms} ms", index, ms);
            stalledTurn = NoStall;
        }
        if (stalledTurn != NoStall || !running || between)
        {
            return;
        }
        long ageNs = nowNs - startNs;
        if (ageNs < _thresholdNs)
        {
            return;
        }
        _stalledSinceNs[index] = startNs;
        Volatile.Write(ref _stalledTurn[index], turn);
        Volatile.Write(ref _stalls[index], _stalls[index] + 1);
        Interlocked.Increment(ref _total);
        _logger.LogWarning("Shard {Shard} has not completed a loop turn for {Ms} ms (threshold {Threshold} ms): {Doing}; its partitions and connections wait",
            index, ageNs / 1_000_000, ThresholdMs, Describe(shard, activity));
    }

    /// <summary>What the shard is doing, for the warning (allocates; runs on the detector's thread only).</summary>
    private static string Describe(Shard shard, ShardActivity activity) => activity switch
    {
        ShardActivity.Mailbox => shard.CurrentWorkType is { } type
            ? $"running work item {type.Name} (kind {shard.CurrentWorkKind})"
            : "draining its mailbox",
        ShardActivity.WorkSource => $"polling work source '{shard.ActivitySource ?? "?"}'",
        ShardActivity.Timers => "running timer callbacks",
        ShardActivity.FlushingOutbox => "flushing its outbox to full mailboxes",
        _ => activity.ToString(),
    };
}
