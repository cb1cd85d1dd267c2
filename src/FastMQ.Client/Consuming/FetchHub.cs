using System.Collections.Generic;
using System.Threading;

namespace FastMQ.Client.Consuming;

/// <summary>
/// Where fetchers hand completed fetches to the application thread, and the one lock that guards partition fetch
/// state (<see cref="PartitionState"/> "hub lock" fields).
/// </summary>
/// <remarks>
/// One lock for all of it because it is taken a few times per fetch response (not per record): a fetcher building a
/// request, a receive thread publishing a response, the application taking it and releasing it. Waiting uses
/// <see cref="Monitor.Wait(object, int)"/> on the same lock; every change of interest pulses all waiters (the
/// application thread and one thread per fetcher: few). The queues are preallocated arrays (Queue/Stack reuse their
/// storage), so steady state allocates nothing.
/// </remarks>
internal sealed class FetchHub
{
    private readonly Queue<CompletedFetch> _ready = new(64);
    private readonly Stack<CompletedFetch> _pool = new(64);

    /// <summary>The lock.</summary>
    public object Sync { get; } = new();

    // The flags below are written under the lock but read without it once per Consume call (volatile: a reader sees
    // a set flag at its next read at the latest; a late read only delays the work by one call).

    /// <summary>A fetch reported a leadership or unknown-partition error; the application thread refreshes metadata.</summary>
    public volatile bool MetadataStale;

    /// <summary>Some partition needs an offset reset (OFFSET_OUT_OF_RANGE).</summary>
    public volatile bool ResetNeeded;

    /// <summary>The consumer is closing; fetchers stop.</summary>
    public volatile bool Closing;

    /// <summary>Hub lock: completed fetches waiting for the application.</summary>
    public int ReadyCount => _ready.Count;

    /// <summary>A cleared fetch object (hub lock held).</summary>
    public CompletedFetch Rent() => _pool.TryPop(out CompletedFetch? f) ? f : new CompletedFetch();

    /// <summary>Returns a fetch object whose frame was released (hub lock held).</summary>
    public void Return(CompletedFetch fetch)
    {
        fetch.Clear();
        _pool.Push(fetch);
    }

    /// <summary>Queues a fetch for the application and wakes it (hub lock held).</summary>
    public void Publish(CompletedFetch fetch)
    {
        _ready.Enqueue(fetch);
        Monitor.PulseAll(Sync);
    }

    /// <summary>The oldest completed fetch, if any (hub lock held).</summary>
    public bool TryTake(out CompletedFetch? fetch) => _ready.TryDequeue(out fetch);

    /// <summary>Wakes every waiter (takes the lock).</summary>
    public void Wake()
    {
        lock (Sync)
        {
            Monitor.PulseAll(Sync);
        }
    }
}
