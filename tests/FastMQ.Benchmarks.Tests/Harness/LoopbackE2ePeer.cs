using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using FastMQ.PerfHarness;

namespace FastMQ.Benchmarks.Tests.Harness;

/// <summary>
/// An in-process <see cref="E2ePeer"/> for driver tests: each accepted send is copied onto a queue and acknowledged at
/// once, and the receiver takes it from there. Each value carries its sequence number after the stamp, so the test can
/// check every message arrived exactly once. Optionally refuses one message for a while (a full client queue).
/// </summary>
internal sealed class LoopbackE2ePeer : E2ePeer
{
    private readonly int _sizeBytes;
    private readonly long _refuseSeq;
    private readonly long _refuseTicks;
    private readonly BlockingCollection<byte[]> _wire = new();
    private E2eDriver? _driver;
    private long _nextSeq;
    private long _refusedSince;

    /// <param name="sizeBytes">Value size (at least the stamp and the sequence number).</param>
    /// <param name="refuseSeq">The message whose sends are refused, or -1.</param>
    /// <param name="refuseFor">How long that message is refused, from its first attempt.</param>
    public LoopbackE2ePeer(int sizeBytes, long refuseSeq = -1, TimeSpan refuseFor = default)
        : base("loopback")
    {
        _sizeBytes = sizeBytes;
        _refuseSeq = refuseSeq;
        _refuseTicks = (long)(refuseFor.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Intended time of each sent message, in send order (producer thread).</summary>
    public List<long> SentIntended { get; } = [];

    /// <summary>How often each sequence number arrived (consumer thread; read after the run).</summary>
    public Dictionary<long, int> Arrivals { get; } = [];

    /// <summary>Attempts the peer refused.</summary>
    public int Refusals { get; private set; }

    public override void Receive(E2eDriver driver)
    {
        driver.ReceiverReady();
        while (true)
        {
            bool got = _wire.TryTake(out byte[]? v, 20);
            long now = Stopwatch.GetTimestamp();
            if (got)
            {
                driver.Received(v, v!.Length, now);
                long seq = BinaryPrimitives.ReadInt64LittleEndian(v.AsSpan(E2eStamp.Bytes));
                Arrivals[seq] = Arrivals.GetValueOrDefault(seq) + 1;
            }
            if (driver.Finished)
            {
                return;
            }
        }
    }

    public override void StartSending(E2eDriver driver) => _driver = driver;

    public override byte[] NextValue()
    {
        var value = new byte[_sizeBytes];
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(E2eStamp.Bytes), _nextSeq++);
        return value;
    }

    public override bool TrySend(byte[] value, long sentTicks)
    {
        long seq = BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(E2eStamp.Bytes));
        if (seq == _refuseSeq)
        {
            long now = Stopwatch.GetTimestamp();
            _refusedSince = _refusedSince == 0 ? now : _refusedSince;
            if (now - _refusedSince < _refuseTicks)
            {
                Refusals++;
                return false;
            }
        }
        E2eStamp.TryRead(value, out long intended, out _);
        SentIntended.Add(intended);
        _wire.Add((byte[])value.Clone());
        _driver!.Delivered();
        return true;
    }

    public override void FlushSends(E2eDriver driver)
    {
    }
}
