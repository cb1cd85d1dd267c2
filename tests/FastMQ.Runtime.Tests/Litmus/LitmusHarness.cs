using System.Collections;
using System.Diagnostics;
using System.Threading;

namespace FastMQ.Runtime.Tests.Litmus;

/// <summary>
/// Runs several producer threads against one consumer (the calling thread). Each producer sends
/// (producer, 0..perProducer-1); the consumer checks that each producer's messages arrive in order, none twice and
/// none missing. Producers give up at the deadline so a broken ring yields a verdict, not a hang.
/// </summary>
public static class LitmusHarness
{
    // stallMs: give up early when nothing arrives for this long while producers still run.
    public static LitmusResult Run(ILitmusRing ring, int producers, long perProducer, int timeoutMs, int stallMs = int.MaxValue)
    {
        var seen = new BitArray[producers];
        long[] next = new long[producers];
        for (int p = 0; p < producers; p++)
        {
            seen[p] = new BitArray(checked((int)perProducer));
        }
        int abort = 0;
        int finished = 0;
        var threads = new Thread[producers];
        using var go = new ManualResetEventSlim(false);
        for (int p = 0; p < producers; p++)
        {
            int producer = p;
            threads[p] = new Thread(() =>
            {
                go.Wait();
                for (long s = 0; s < perProducer; s++)
                {
                    var m = new LitmusMessage(producer, s);
                    int spins = 0;
                    while (!ring.TryEnqueue(in m))
                    {
                        if (Volatile.Read(ref abort) != 0)
                        {
                            Interlocked.Increment(ref finished);
                            return;
                        }
                        // Full: retry hot a few times (producers racing each other is the point), then let the
                        // consumer run (more threads than this machine has cores).
                        if (++spins % 16 == 0)
                        {
                            Thread.Yield();
                        }
                    }
                }
                Interlocked.Increment(ref finished);
            })
            { IsBackground = true, Name = $"litmus-producer-{p}" };
            threads[p].Start();
        }

        var result = new LitmusResult { Expected = producers * perProducer };
        var sw = Stopwatch.StartNew();
        go.Set();
        int idle = 0;
        long lastProgressMs = 0;
        while (true)
        {
            if (ring.TryDequeue(out LitmusMessage m))
            {
                idle = 0;
                lastProgressMs = sw.ElapsedMilliseconds;
                Check(result, seen, next, m, perProducer);
                continue;
            }
            if (result.Received >= result.Expected)
            {
                break;
            }
            if (Volatile.Read(ref finished) == producers && ++idle > 1000)
            {
                // Every producer is done and the ring stays empty: whatever is missing is lost.
                break;
            }
            if (sw.ElapsedMilliseconds > timeoutMs || sw.ElapsedMilliseconds - lastProgressMs > stallMs)
            {
                result.TimedOut = true;
                Volatile.Write(ref abort, 1);
                break;
            }
            // Empty: give the producers the core (more threads than this machine has cores).
            Thread.Yield();
        }
        foreach (Thread t in threads)
        {
            t.Join();
        }
        // Late arrivals still count (and are still checked).
        while (ring.TryDequeue(out LitmusMessage m))
        {
            Check(result, seen, next, m, perProducer);
        }
        long distinct = 0;
        foreach (BitArray bits in seen)
        {
            for (int i = 0; i < bits.Length; i++)
            {
                distinct += bits[i] ? 1 : 0;
            }
        }
        result.Lost = result.Expected - distinct;
        result.ElapsedMs = sw.ElapsedMilliseconds;
        return result;
    }

    private static void Check(LitmusResult result, BitArray[] seen, long[] next, LitmusMessage m, long perProducer)
    {
        result.Received++;
        if ((uint)m.Producer >= (uint)seen.Length || (ulong)m.Sequence >= (ulong)perProducer)
        {
            result.Corrupt++;
            return;
        }
        if (seen[m.Producer][(int)m.Sequence])
        {
            result.Duplicates++;
        }
        seen[m.Producer][(int)m.Sequence] = true;
        if (m.Sequence != next[m.Producer])
        {
            result.OutOfOrder++;
        }
        next[m.Producer] = m.Sequence + 1;
    }
}

public sealed class LitmusResult
{
    public long Expected { get; set; }
    public long Received { get; set; }
    public long Lost { get; set; }
    public long Duplicates { get; set; }
    public long OutOfOrder { get; set; }
    public long Corrupt { get; set; }
    public bool TimedOut { get; set; }
    public long ElapsedMs { get; set; }

    public bool Clean => Lost == 0 && Duplicates == 0 && OutOfOrder == 0 && Corrupt == 0 && !TimedOut && Received == Expected;

    public override string ToString() =>
        $"expected {Expected}, received {Received}, lost {Lost}, duplicates {Duplicates}, out of order {OutOfOrder}, corrupt {Corrupt}, timed out {TimedOut}, {ElapsedMs} ms";
}
