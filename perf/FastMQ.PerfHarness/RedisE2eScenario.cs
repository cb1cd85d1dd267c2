using System;
using System.Diagnostics;
using System.Text;
using System.Threading;

namespace FastMQ.PerfHarness;

/// <summary>
/// The e2e scenario against the Redis Streams peer, measured by the same <see cref="E2eDriver"/> as
/// <see cref="E2eScenario"/>. The producer pipelines a tick's <c>XADD stream * v VALUE</c> commands in one write
/// (a reader thread drains the replies, each one an ack); the consumer loops on <c>XREAD BLOCK 100 COUNT 1000</c> from
/// the last id, every entry of one reply timed at that reply's arrival.
/// </summary>
internal sealed class RedisE2eScenario : E2ePeer
{
    private readonly HarnessOptions _o;
    private readonly string _stream = "fastmq-perf-" + Guid.NewGuid().ToString("N")[..8];
    private RespConnection? _producer;
    private RespConnection? _consumer;
    private byte[] _value = [];

    public RedisE2eScenario(HarnessOptions o)
        : base("redis-e2e") => _o = o;

    public LatencyRecorder Latency { get; } = new();

    /// <summary>Pipelined: every XADD already due goes out in one write.</summary>
    public override bool SendsWholeTick => true;

    /// <summary>Normal: the Redis producer has always run at the default priority (on the calling thread).</summary>
    public override ThreadPriority ProducerPriority => ThreadPriority.Normal;

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
        using var producerConnection = new RespConnection(redis);
        using var consumerConnection = new RespConnection(redis);
        _producer = producerConnection;
        _consumer = consumerConnection;
        var driver = new E2eDriver(_o, this, Latency);
        var replies = new Thread(() => DrainReplies(producerConnection, driver)) { Name = "perf-redis-replies", IsBackground = true };
        replies.Start();
        return driver.Run(window);
    }

    public override void Receive(E2eDriver driver)
    {
        driver.ReceiverReady();
        string lastId = "0-0";
        while (true)
        {
            object? reply = _consumer!.Call("XREAD", "BLOCK", "100", "COUNT", "1000", "STREAMS", _stream, lastId);
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
                    driver.Received(v, v.Length, now);
                }
            }
            if (driver.Finished)
            {
                return;
            }
        }
    }

    public override void StartSending(E2eDriver driver) => _value = Payload.Create(_o.SizeBytes, 7);

    /// <summary>One buffer for every message: <see cref="RespConnection.Append"/> copies it into the pending write.</summary>
    public override byte[] NextValue() => _value;

    public override bool TrySend(byte[] value, long sentTicks)
    {
        _producer!.Append("XADD", _stream, "*", "v", value);
        return true;
    }

    public override void EndTick() => _producer!.Flush();

    public override void FlushSends(E2eDriver driver)
    {
        SpinWait.SpinUntil(() => driver.DeliveredCount >= driver.Total, TimeSpan.FromSeconds(30));
        long unanswered = driver.Total - driver.DeliveredCount;
        if (unanswered > 0)
        {
            driver.Failed("not every XADD was answered within 30 s", unanswered);
        }
    }

    private static void DrainReplies(RespConnection c, E2eDriver driver)
    {
        try
        {
            while (true)
            {
                c.Read();
                driver.Delivered();
            }
        }
        catch (Exception e) when (e is System.IO.IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            // The connection closes at the end of the run.
        }
    }
}
