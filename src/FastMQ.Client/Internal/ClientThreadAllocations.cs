using System;
using System.Threading;

namespace FastMQ.Client.Internal;

/// <summary>
/// Bytes allocated by the client's own threads (producer sender, connection receive threads), summed over the process.
/// Each such thread adds the growth of its <see cref="GC.GetAllocatedBytesForCurrentThread"/> once per loop turn (one
/// cheap thread-local read and one interlocked add per turn, never per message). Lets tests and diagnostics prove the
/// client allocates nothing in steady state without counting what unrelated threads of the host process allocate.
/// </summary>
internal static class ClientThreadAllocations
{
    private static long s_bytes;

    /// <summary>Total so far (a turn in progress is added at its end).</summary>
    public static long Total => Volatile.Read(ref s_bytes);

    /// <summary>Starts tracking on the calling thread: returns its current counter, to pass to <see cref="Sample"/>.</summary>
    public static long Begin() => GC.GetAllocatedBytesForCurrentThread();

    /// <summary>Adds what the calling thread allocated since <paramref name="last"/> and moves <paramref name="last"/> on.</summary>
    public static void Sample(ref long last)
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        if (now != last)
        {
            Interlocked.Add(ref s_bytes, now - last);
            last = now;
        }
    }
}
