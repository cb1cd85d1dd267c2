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
    private readonly bool _decimalMegabytes;
    private readonly List<double> _series = [];
    private readonly List<double> _bytesSeries = [];
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private long _messages;
    private long _errors;
    private long _bytes;
    private long _startTicks;

    /// <param name="name">Shown at the start of each live line.</param>
    /// <param name="extra">More text for each live line (e.g. latency so far).</param>
    /// <param name="decimalMegabytes">Show MB/s (10^6 B, as sustain targets are given) instead of MiB/s.</param>
    public ThroughputMeter(string name, Func<string>? extra = null, bool decimalMegabytes = false)
    {
        _name = name;
        _decimalMegabytes = decimalMegabytes;
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

    /// <summary>Bytes per second in each whole second since <see cref="Start"/>.</summary>
    public IReadOnlyList<double> BytesSeries
    {
        get
        {
            lock (_series)
            {
                return _bytesSeries.ToArray();
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

    /// <summary>Counts failed messages (shown on the live line).</summary>
    public void AddErrors(long n) => Interlocked.Add(ref _errors, n);

    public long ErrorCount => Interlocked.Read(ref _errors);

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
                _bytesSeries.Add(b - lastBytes);
            }
            string extra = _extra is null ? "" : "  " + _extra();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{second,4}s] {_name,-8} {rate,12:N0} msg/s {(b - lastBytes) / (_decimalMegabytes ? 1e6 : 1048576.0),9:N1} {(_decimalMegabytes ? "MB/s " : "MiB/s")}  total {m,13:N0}  errors {ErrorCount}{extra}"));
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
