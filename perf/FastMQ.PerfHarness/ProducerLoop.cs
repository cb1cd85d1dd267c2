using System;
using System.Diagnostics;
using System.Threading;
using FastMQ.PerfHarness.Clients;
using FastMQ.PerfHarness.Workload;

namespace FastMQ.PerfHarness;

/// <summary>
/// One producer thread's send loop, shared by <c>produce</c> (as fast as the client takes messages) and <c>sustain</c>
/// (paced by a <see cref="FixedRateSchedule"/>). Stops after <c>quota</c> messages or at the deadline, whichever comes
/// first (paced: by the schedule or by the clock), then flushes. A full client queue is waited out (1 ms sleeps); the send time queued with the message is the
/// first attempt, so the wait counts in the latency.
/// </summary>
internal static class ProducerLoop
{
    /// <returns>Messages handed to the client.</returns>
    public static long Run(IPerfProducer producer, MessageSource source, DeliveryTracker tracker, FixedRateSchedule? schedule,
        long quota, long deadlineTicks, Action<long>? onIntended)
    {
        long sent = 0;
        long now = Stopwatch.GetTimestamp();
        for (long k = 0; k < quota; k++)
        {
            long intended;
            if (schedule is not null)
            {
                intended = schedule.IntendedTicks(k);
                // Stop at the deadline by the schedule and by the clock: a producer that fell behind does not keep
                // sending its backlog after the run (the shortfall shows as sent < scheduled).
                if (intended >= deadlineTicks || ((k & 255) == 0 && now >= deadlineTicks))
                {
                    break;
                }
                now = intended > now ? FixedRateSchedule.WaitUntil(intended) : now;
                onIntended?.Invoke(intended);
            }
            else
            {
                now = Stopwatch.GetTimestamp();
                if ((k & 255) == 0 && now >= deadlineTicks)
                {
                    break;
                }
                intended = now;
            }
            byte[] value = source.Next(out byte[]? key, out int partition);
            tracker.Sending(partition, intended, now, value.Length);
            while (!producer.TryProduce(partition, key, value))
            {
                // The client's queue is full: the broker (or the client) is the bottleneck; let it drain a little.
                Thread.Sleep(1);
            }
            sent++;
            if (schedule is not null && (k & 63) == 0)
            {
                // Re-read the clock now and then so a long tick of sends does not stamp stale send times.
                now = Stopwatch.GetTimestamp();
            }
        }
        while (producer.Flush(TimeSpan.FromSeconds(30)) > 0)
        {
            Console.WriteLine("producer: still waiting for delivery reports...");
            if (Stopwatch.GetTimestamp() > deadlineTicks + 120 * Stopwatch.Frequency)
            {
                break;
            }
        }
        return sent;
    }
}
