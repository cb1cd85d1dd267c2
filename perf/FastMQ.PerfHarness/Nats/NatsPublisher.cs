using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using NATS.Client.Core;

namespace FastMQ.PerfHarness.Nats;

/// <summary>
/// Pipelined JetStream publishing the way NATS's own benchmarks do it: a core publish of each message with a reply
/// subject (the stream answers it with a PubAck), at most <see cref="NatsScenario.Window"/> unanswered, and one
/// subscription on the reply subject that takes the acks in order. Far cheaper per message than awaiting NATS.Net's
/// JetStream PublishAsync per message (measured here: ~22 µs of harness CPU per message that way), so the comparison
/// measures the server rather than the client library.
/// </summary>
internal sealed class NatsPublisher : IAsyncDisposable
{
    private static readonly byte[] ErrorMarker = "\"error\""u8.ToArray();
    private readonly NatsConnection _nats;
    private readonly string _subject;
    private readonly string _inbox;
    private readonly SemaphoreSlim _window = new(NatsScenario.Window, NatsScenario.Window);
    private readonly ConcurrentQueue<(long SentTicks, int Bytes)> _pending = new();
    private readonly Action<long, int, string?> _onAck;
    private INatsSub<byte[]>? _sub;
    private Task? _reader;
    private long _sent;
    private long _acked;

    private NatsPublisher(NatsConnection nats, string subject, Action<long, int, string?> onAck)
    {
        _nats = nats;
        _subject = subject;
        _inbox = nats.NewInbox();
        _onAck = onAck;
    }

    /// <param name="nats">A connected connection.</param>
    /// <param name="subject">The stream's subject.</param>
    /// <param name="onAck">(send time, bytes, error or null) per PubAck, in publish order, on the reader task.</param>
    public static NatsPublisher Start(NatsConnection nats, string subject, Action<long, int, string?> onAck)
    {
        var p = new NatsPublisher(nats, subject, onAck);
        p._sub = nats.SubscribeCoreAsync<byte[]>(p._inbox).AsTask().GetAwaiter().GetResult();
        p._reader = Task.Run(p.ReadAcks);
        return p;
    }

    /// <summary>Publishes one message (waits while the window is full); <paramref name="value"/> is written before returning.</summary>
    public void Publish(byte[] value, long sentTicks)
    {
        _window.Wait();
        _pending.Enqueue((sentTicks, value.Length));
        ValueTask t = _nats.PublishAsync(_subject, value, replyTo: _inbox);
        if (!t.IsCompletedSuccessfully)
        {
            t.AsTask().GetAwaiter().GetResult();
        }
        _sent++;
    }

    /// <summary>Waits until every published message was answered, or the timeout passed; true when all were.</summary>
    public bool Drain(TimeSpan timeout)
    {
        long until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref _acked) < _sent)
        {
            if (Stopwatch.GetTimestamp() > until)
            {
                return false;
            }
            Thread.Sleep(1);
        }
        return true;
    }

    private async Task ReadAcks()
    {
        await foreach (NatsMsg<byte[]> m in _sub!.Msgs.ReadAllAsync())
        {
            string? error = m.Data is byte[] d && d.AsSpan().IndexOf(ErrorMarker) >= 0 ? System.Text.Encoding.UTF8.GetString(d) : null;
            if (_pending.TryDequeue(out (long SentTicks, int Bytes) p))
            {
                _onAck(p.SentTicks, p.Bytes, error);
            }
            Interlocked.Increment(ref _acked);
            _window.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_sub is not null)
        {
            await _sub.UnsubscribeAsync();
            await _sub.DisposeAsync();
        }
        if (_reader is not null)
        {
            await _reader;
        }
        _window.Dispose();
    }
}
