using System;
using System.Text;

namespace FastMQ.PerfHarness;

/// <summary>
/// The consume workload against a Redis Streams peer: read the stream <c>--topic</c> (filled beforehand, e.g. by
/// redis-benchmark XADD in perf/compare.sh) from its first entry with <c>XREAD COUNT 1000</c> until <c>--count</c>
/// entries arrived or the stream is exhausted. One connection, like one FastMQ consumer.
/// </summary>
internal sealed class RedisConsumeScenario
{
    private readonly HarnessOptions _o;

    public RedisConsumeScenario(HarnessOptions o) => _o = o;

    public ScenarioOutcome Run(MeasurementWindow window)
    {
        using var c = new RespConnection(_o.Redis!);
        long target = _o.Count ?? long.MaxValue;
        using var meter = new ThroughputMeter("redis-consume");
        string lastId = "0-0";
        window.Begin();
        meter.Start();
        while (meter.Messages < target)
        {
            object? reply = c.Call("XREAD", "COUNT", "1000", "STREAMS", _o.Topic, lastId);
            if (reply is not object?[] { Length: > 0 } streams || streams[0] is not object?[] { Length: 2 } s || s[1] is not object?[] { Length: > 0 } entries)
            {
                break;
            }
            long bytes = 0;
            foreach (object? e in entries)
            {
                if (e is not object?[] { Length: 2 } entry || entry[0] is not byte[] id || entry[1] is not object?[] { Length: >= 2 } fields || fields[1] is not byte[] v)
                {
                    throw new InvalidOperationException("unexpected XREAD reply shape");
                }
                lastId = Encoding.ASCII.GetString(id);
                bytes += v.Length;
            }
            meter.Add(entries.Length, bytes);
        }
        double elapsed = window.End();
        meter.Stop();
        // Without --count the scenario reads whatever the stream holds: no shortfall to report.
        return ScenarioOutcome.Consumed(meter, elapsed, _o.Count is null ? 0 : target, 0,
            static (read, target) => $"the stream held only {read} of {target} entries");
    }
}
