using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;

namespace FastMQ.PerfHarness;

/// <summary>
/// Counts messages and bytes from any thread (Interlocked adds; the delivery and consume callbacks run on client
/// threads) and prints one live line per second from its own thread, keeping the per-second rates as a series.
/// </summary>
internal sealed class ThroughputMeter : IDisposable
{
    private readonly string _name;
    private readonly Func<string>? _extra;
    private readonly List<double> _series = [];
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private long _messages;
    private long _bytes;
    private long _startTicks;

    public ThroughputMeter(string name, Func<string>? extra = null)
    {
        _name = name;
        _extra = extra;
        _thread = new Thread(Report) { IsBackground = true, Name = "perf-meter" };
    }

    public long Messages => Interlocked.Read(ref _messages);
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Messages per second in each whole second since <see cref="Start"/>.</summary>
    public IReadOnlyList<double> Series
    {
        get
        {
            lock (_series)
            {
                return _series.ToArray();
            }
        }
    }

    public void Start()
    {
        _startTicks = Stopwatch.GetTimestamp();
        _thread.Start();
    }

    public void Add(long messages, long bytes)
    {
        Interlocked.Add(ref _messages, messages);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void Stop()
    {
        _stop.Set();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }
    }

    private void Report()
    {
        long lastMessages = 0;
        long lastBytes = 0;
        int second = 0;
        while (true)
        {
            second++;
            long dueTicks = _startTicks + second * Stopwatch.Frequency;
            long waitMs = (dueTicks - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (_stop.Wait((int)Math.Max(0, waitMs)))
            {
                return;
            }
            long m = Messages;
            long b = Bytes;
            double rate = m - lastMessages;
            lock (_series)
            {
                _series.Add(rate);
            }
            string extra = _extra is null ? "" : "  " + _extra();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{second,4}s] {_name,-8} {rate,12:N0} msg/s {(b - lastBytes) / 1048576.0,9:N1} MiB/s  total {m,13:N0}{extra}"));
            lastMessages = m;
            lastBytes = b;
        }
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }
}
