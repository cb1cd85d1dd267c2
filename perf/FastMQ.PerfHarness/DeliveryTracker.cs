using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using FastMQ.PerfHarness.Clients;

namespace FastMQ.PerfHarness;

/// <summary>
/// Matches a producer's delivery reports to its sends without a per-message allocation in the client call: the send
/// loop queues (intended time, send time, bytes) per partition before handing the message over, and each report, which
/// arrives in send order within its partition, takes the oldest entry of its partition. Counts delivered messages and
/// bytes into the meter and, from <see cref="RecordFromTicks"/> on, records the produce latency (report − intended:
/// corrected for coordinated omission; report − send call) in the recorder.
/// </summary>
internal sealed class DeliveryTracker : IDeliverySink
{
    private readonly ConcurrentQueue<Pending>[] _pending;
    private readonly ThroughputMeter _meter;
    private readonly LatencyRecorder? _latency;
    private long _errors;
    private long _unmatched;
    private string? _firstError;

    public DeliveryTracker(int partitions, ThroughputMeter meter, LatencyRecorder? latency)
    {
        _pending = new ConcurrentQueue<Pending>[partitions];
        for (int i = 0; i < partitions; i++)
        {
            _pending[i] = new ConcurrentQueue<Pending>();
        }
        _meter = meter;
        _latency = latency;
    }

    /// <summary>Messages intended before this Stopwatch time are counted but not recorded (warm-up).</summary>
    public long RecordFromTicks { get; set; }

    public long Errors => Interlocked.Read(ref _errors);
    /// <summary>Reports with no queued send (should stay 0: it would mean reports came out of order).</summary>
    public long Unmatched => Interlocked.Read(ref _unmatched);
    public string FirstError => _firstError ?? "";

    /// <summary>Call before handing the message to the client (the report can arrive before the call returns).</summary>
    public void Sending(int partition, long intendedTicks, long sentTicks, int bytes) =>
        _pending[partition].Enqueue(new Pending(intendedTicks, sentTicks, bytes));

    public void OnDelivered(int partition, string? error)
    {
        long now = Stopwatch.GetTimestamp();
        if (!_pending[partition].TryDequeue(out Pending p))
        {
            Interlocked.Increment(ref _unmatched);
            return;
        }
        if (error is not null)
        {
            _meter.AddErrors(1);
            Interlocked.Increment(ref _errors);
            Interlocked.CompareExchange(ref _firstError, error, null);
            return;
        }
        _meter.Add(1, p.Bytes);
        if (_latency is not null && p.IntendedTicks >= RecordFromTicks)
        {
            _latency.Record(p.IntendedTicks, p.SentTicks, now);
        }
    }

    private readonly record struct Pending(long IntendedTicks, long SentTicks, int Bytes);
}
