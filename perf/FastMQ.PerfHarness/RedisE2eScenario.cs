using System;
using System.Diagnostics;
using System.Text;
using System.Threading;

namespace FastMQ.PerfHarness;

/// <summary>
/// The e2e scenario against the Redis Streams peer, measured the same way as <see cref="E2eScenario"/>: the same
/// schedule, stamps and histograms. The producer pipelines a tick's <c>XADD stream * v VALUE</c> commands in one write
/// (a reader thread drains the replies); the consumer loops on <c>XREAD BLOCK 100 COUNT 1000</c> from the last id.
/// </summary>
internal sealed class RedisE2eScenario
{
    private readonly HarnessOptions _o;
    private readonly string _stream = "fastmq-perf-" + Guid.NewGuid().ToString("N")[..8];
    private long _delivered;
    private long _received;
    private long _recordFromTicks;
    private volatile bool _producerDone;

    public RedisE2eScenario(HarnessOptions o) => _o = o;

    public LatencyRecorder Latency { get; } = new();

    public static DurabilityFacts ProbeDurability(string redis)
    {
        using var c = new RespConnection(redis);
        string Get(string name) => c.Call("CONFIG", "GET", name) is object?[] { Length: 2 } a && a[1] is byte[] v ? Encoding.UTF8.GetString(v) : "unknown";
        return new DurabilityFacts
        {
            FlushPolicy = $"redis appendonly={Get("appendonly")} appendfsync={Get("appendfsync")}",
            FlushIntervalMs = "n/a",
            FlushIntervalBytes = "n/a",
            Acks = "reply before fsync",
            Source = "CONFIG GET",
        };
    }

    public ScenarioOutcome Run(MeasurementWindow window)
    {
        string redis = _o.Redis!;
        using var meter = new ThroughputMeter("redis-e2e", Latency.TakeIntervalLine);
        using var producerConnection = new RespConnection(redis);
        using var consumerConnection = new RespConnection(redis);
        var consumer = new Thread(() => ConsumeLoop(consumerConnection, meter)) { Name = "perf-redis-consumer" };
        var replies = new Thread(() => DrainReplies(producerConnection)) { Name = "perf-redis-replies", IsBackground = true };
        consumer.Start();
        replies.Start();
        long total = (long)((_o.WarmupS + _o.DurationS) * _o.RatePerS);
        long t0 = Stopwatch.GetTimestamp();
        Volatile.Write(ref _recordFromTicks, t0 + (long)(_o.WarmupS * Stopwatch.Frequency));
        meter.Start();
        ProduceLoop(producerConnection, t0, total, window);
        SpinWait.SpinUntil(() => Interlocked.Read(ref _delivered) >= total, TimeSpan.FromSeconds(30));
        _producerDone = true;
        consumer.Join();
        double elapsed = window.End();
        meter.Stop();
        long recorded = Latency.Intended.TotalCount;
        return new ScenarioOutcome
        {
            Messages = recorded,
            Bytes = recorded * _o.SizeBytes,
            ElapsedS = elapsed,
            Missing = Math.Max(0, Interlocked.Read(ref _delivered) - Interlocked.Read(ref _received)),
            Errors = Math.Max(0, total - Interlocked.Read(ref _delivered)),
            FirstError = Interlocked.Read(ref _delivered) < total ? "not every XADD was answered within 30 s" : "",
            PerSecond = meter.Series,
            TargetRatePerS = _o.RatePerS,
            E2eFromIntended = LatencySummary.From(Latency.Intended),
            E2eFromSent = LatencySummary.From(Latency.Sent),
            PacingLag = LatencySummary.From(Latency.PacingLag),
        };
    }

    private void ProduceLoop(RespConnection c, long t0, long total, MeasurementWindow window)
    {
        byte[] value = Payload.Create(_o.SizeBytes, 7);
        var schedule = new FixedRateSchedule(t0, _o.RatePerS, _o.TickUs);
        bool windowOpen = false;
        long k = 0;
        while (k < total)
        {
            long intended = schedule.IntendedTicks(k);
            long now = FixedRateSchedule.WaitUntil(intended);
            if (!windowOpen && intended >= _recordFromTicks)
            {
                window.Begin();
                windowOpen = true;
            }
            // Every message already due goes out in one pipelined write.
            do
            {
                E2eStamp.Write(value, schedule.IntendedTicks(k), now);
                c.Append("XADD", _stream, "*", "v", value);
                k++;
            }
            while (k < total && schedule.IntendedTicks(k) <= now);
            c.Flush();
        }
        if (!windowOpen)
        {
            window.Begin();
        }
    }

    private void DrainReplies(RespConnection c)
    {
        try
        {
            while (true)
            {
                c.Read();
                Interlocked.Increment(ref _delivered);
            }
        }
        catch (Exception e) when (e is System.IO.IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            // The connection closes at the end of the run.
        }
    }

    private void ConsumeLoop(RespConnection c, ThroughputMeter meter)
    {
        string lastId = "0-0";
        long doneSince = 0;
        while (true)
        {
            object? reply = c.Call("XREAD", "BLOCK", "100", "COUNT", "1000", "STREAMS", _stream, lastId);
            long now = Stopwatch.GetTimestamp();
            if (reply is object?[] { Length: > 0 } streams && streams[0] is object?[] { Length: 2 } s && s[1] is object?[] entries)
            {
                foreach (object? e in entries)
                {
                    if (e is not object?[] { Length: 2 } entry || entry[0] is not byte[] id || entry[1] is not object?[] { Length: 2 } fields || fields[1] is not byte[] v)
                    {
                        throw new InvalidOperationException("unexpected XREAD reply shape");
                    }
                    lastId = Encoding.ASCII.GetString(id);
                    if (E2eStamp.TryRead(v, out long intended, out long sent))
                    {
                        Interlocked.Increment(ref _received);
                        meter.Add(1, v.Length);
                        if (intended >= Volatile.Read(ref _recordFromTicks))
                        {
                            Latency.Record(intended, sent, now);
                        }
                    }
                }
            }
            if (_producerDone)
            {
                if (Interlocked.Read(ref _received) >= Interlocked.Read(ref _delivered))
                {
                    return;
                }
                doneSince = doneSince == 0 ? now : doneSince;
                if (now - doneSince > 10 * Stopwatch.Frequency)
                {
                    return;
                }
            }
        }
    }
}
