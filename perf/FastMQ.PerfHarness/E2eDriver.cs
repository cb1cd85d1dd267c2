using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace FastMQ.PerfHarness;

/// <summary>
/// Fixed-rate end-to-end latency against any <see cref="E2ePeer"/>. One producer thread sends <c>--rate</c> messages per
/// second on a <see cref="FixedRateSchedule"/> (message k is due at the start of the <c>--tick-us</c> tick that contains
/// k / rate) and stamps each with its intended time and the time it was really handed to the peer (<see cref="E2eStamp"/>).
/// One consumer thread, in the same process, records now − intended (corrected for coordinated omission: if the producer
/// stalls, the schedule does not), now − sent and the pacing lag (sent − intended) into <see cref="LatencyRecorder"/>.
/// Messages due in the first <c>--warmup</c> seconds are counted but not recorded; the measured window opens with the
/// first message due after the warm-up and closes once the consumer has read everything (or waited 10 s for it).
/// One run per instance.
/// </summary>
/// <remarks>
/// Timestamps: t0 (start of the schedule) on the calling thread once the receiver is ready; sent = the return of
/// <see cref="FixedRateSchedule.WaitUntil"/> for the message's step (taken again after each 1 ms back-off when the peer
/// refuses it); received = taken by the peer right after its receive call returned.
/// </remarks>
internal sealed class E2eDriver
{
    /// <summary>How long the consumer keeps reading after the last send was answered, when messages are still missing.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    private readonly HarnessOptions _o;
    private readonly E2ePeer _peer;
    private readonly LatencyRecorder _latency;
    private readonly ManualResetEventSlim _ready = new();
    private readonly CancellationTokenSource _stop = new();
    private ThroughputMeter? _meter;
    private ExceptionDispatchInfo? _failure;
    private long _received;
    private long _delivered;
    private long _errors;
    private string? _firstError;
    // Nothing is recorded until Run has set the start of the measured part (messages read before it are left-overs).
    private long _recordFromTicks = long.MaxValue;
    private volatile bool _producerDone;

    public E2eDriver(HarnessOptions o, E2ePeer peer, LatencyRecorder latency)
    {
        _o = o;
        _peer = peer;
        _latency = latency;
        Total = (long)((o.WarmupS + o.DurationS) * o.RatePerS);
    }

    /// <summary>Messages the schedule calls for, warm-up included.</summary>
    public long Total { get; }

    /// <summary>Stamped messages the consumer has read (warm-up included).</summary>
    public long ReceivedCount => Interlocked.Read(ref _received);

    /// <summary>Sends the peer has acknowledged.</summary>
    public long DeliveredCount => Interlocked.Read(ref _delivered);

    /// <summary>Cancelled when the receiver must stop: everything has arrived, or 10 s after the last ack.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>True once the producer is done and every acknowledged message has been read, or the wait timed out.</summary>
    public bool Finished => _stop.IsCancellationRequested || (_producerDone && ReceivedCount >= DeliveredCount);

    public ScenarioOutcome Run(MeasurementWindow window)
    {
        using var meter = new ThroughputMeter(_peer.Name, _latency.TakeIntervalLine);
        _meter = meter;
        try
        {
            var consumer = new Thread(ReceiveLoop) { Name = $"perf-{_peer.Name}-consumer" };
            consumer.Start();
            _ready.Wait();
            if (_failure is not null)
            {
                consumer.Join();
                _failure.Throw();
            }
            long t0 = Stopwatch.GetTimestamp();
            // Volatile: the consumer thread, already running, must see this before the first message can arrive.
            Volatile.Write(ref _recordFromTicks, t0 + (long)(_o.WarmupS * Stopwatch.Frequency));
            meter.Start();
            var producer = new Thread(() => ProduceLoop(t0, window)) { Name = $"perf-{_peer.Name}-producer", Priority = _peer.ProducerPriority };
            producer.Start();
            producer.Join();
            // Volatile write, then Finished reads the counters with Interlocked (full fences): either this thread sees the
            // consumer's last increment, or the consumer sees _producerDone, so it never waits the full timeout for nothing.
            _producerDone = true;
            if (Finished || _failure is not null)
            {
                _stop.Cancel();
            }
            else
            {
                _stop.CancelAfter(DrainTimeout);
            }
            consumer.Join();
            _failure?.Throw();
            double elapsed = window.End();
            meter.Stop();
            return Outcome(meter, elapsed);
        }
        finally
        {
            _stop.Dispose();
            _ready.Dispose();
        }
    }

    /// <summary>The receiver has started reading: the schedule may start.</summary>
    public void ReceiverReady() => _ready.Set();

    /// <summary>
    /// One payload read at <paramref name="nowTicks"/>; <paramref name="value"/> holds at least its first
    /// <see cref="E2eStamp.Bytes"/> bytes, <paramref name="length"/> is its full size. Payloads without a stamp are ignored.
    /// </summary>
    public void Received(ReadOnlySpan<byte> value, int length, long nowTicks)
    {
        if (!E2eStamp.TryRead(value, out long intended, out long sent))
        {
            return;
        }
        Interlocked.Increment(ref _received);
        _meter!.Add(1, length);
        if (intended >= Volatile.Read(ref _recordFromTicks))
        {
            _latency.Record(intended, sent, nowTicks);
        }
    }

    /// <summary>The peer acknowledged one send.</summary>
    public void Delivered() => Interlocked.Increment(ref _delivered);

    /// <summary><paramref name="count"/> sends failed; the first error is kept for the result.</summary>
    public void Failed(string error, long count = 1)
    {
        Interlocked.Add(ref _errors, count);
        Interlocked.CompareExchange(ref _firstError, error, null);
    }

    private void ProduceLoop(long t0, MeasurementWindow window)
    {
        try
        {
            _peer.StartSending(this);
            var schedule = new FixedRateSchedule(t0, _o.RatePerS, _o.TickUs);
            bool windowOpen = false;
            long k = 0;
            while (k < Total)
            {
                long intended = schedule.IntendedTicks(k);
                long now = FixedRateSchedule.WaitUntil(intended);
                if (!windowOpen && intended >= _recordFromTicks)
                {
                    window.Begin();
                    windowOpen = true;
                }
                do
                {
                    Send(schedule.IntendedTicks(k), now);
                    k++;
                }
                while (_peer.SendsWholeTick && k < Total && schedule.IntendedTicks(k) <= now);
                _peer.EndTick();
            }
            if (!windowOpen)
            {
                window.Begin();
            }
            _peer.FlushSends(this);
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            _peer.StopSending();
        }
    }

    private void Send(long intendedTicks, long sentTicks)
    {
        byte[] value = _peer.NextValue();
        E2eStamp.Write(value, intendedTicks, sentTicks);
        while (!_peer.TrySend(value, sentTicks))
        {
            Thread.Sleep(1);
            sentTicks = Stopwatch.GetTimestamp();
            E2eStamp.Write(value, intendedTicks, sentTicks);
        }
    }

    private void ReceiveLoop()
    {
        try
        {
            _peer.Receive(this);
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            _ready.Set();
        }
    }

    /// <summary>Keeps the first exception of either thread; Run rethrows it once both threads have stopped.</summary>
    private void Fail(Exception e) => Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);

    private ScenarioOutcome Outcome(ThroughputMeter meter, double elapsedS)
    {
        long recorded = _latency.Intended.TotalCount;
        return new ScenarioOutcome
        {
            Messages = recorded,
            Bytes = recorded * _o.SizeBytes,
            ElapsedS = elapsedS,
            Errors = Interlocked.Read(ref _errors),
            FirstError = _firstError ?? "",
            Missing = Math.Max(0, DeliveredCount - ReceivedCount),
            PerSecond = meter.Series,
            BytesPerSecond = meter.BytesSeries,
            TargetRatePerS = _o.RatePerS,
            E2eFromIntended = LatencySummary.From(_latency.Intended),
            E2eFromSent = LatencySummary.From(_latency.Sent),
            PacingLag = LatencySummary.From(_latency.PacingLag),
        };
    }
}
