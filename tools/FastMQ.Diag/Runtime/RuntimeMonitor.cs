using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using FastMQ.Diag.Attach;
using FastMQ.Diag.Metrics;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace FastMQ.Diag.Runtime;

/// <summary>
/// One EventPipe session on a target process that streams the instruments of some meters (System.Runtime and
/// FastMQ.Broker by default) and the GC events. A background thread parses the stream; <see cref="Snapshot"/>
/// copies the latest state under a lock, and <see cref="WaitForTick"/> waits for the next complete interval.
/// Dispose stops the session (the target keeps running).
/// </summary>
public sealed class RuntimeMonitor : IDisposable
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, MetricValue> _latest = new(StringComparer.Ordinal);
    private readonly HashSet<string> _meters;
    private readonly GcPauseTracker _gc = new();
    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    private long _ticks;
    private string? _error;
    private bool _ended;
    private bool _disposed;

    private RuntimeMonitor(int processId, EventPipeSession session, IReadOnlyList<string> meters)
    {
        ProcessId = processId;
        _session = session;
        _meters = new HashSet<string>(meters, StringComparer.Ordinal);
        _reader = new Thread(ReadEvents) { IsBackground = true, Name = $"fastmq-diag events {processId}" };
        _reader.Start();
    }

    public int ProcessId { get; }

    /// <summary>Complete metrics intervals received so far.</summary>
    public long Ticks
    {
        get
        {
            lock (_gate)
            {
                return _ticks;
            }
        }
    }

    /// <summary>Opens the session; throws <see cref="DiagTargetException"/> when the target cannot be attached.</summary>
    public static RuntimeMonitor Start(int processId, TimeSpan interval, IReadOnlyList<string> meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "the interval must be positive");
        }
        DiagnosticsClient client = TargetProcess.Connect(processId);
        EventPipeProvider[] providers =
        [
            DiagProviders.RuntimeGc(),
            DiagProviders.Metrics(meters, interval, $"fastmq-diag-{Environment.ProcessId}-{Guid.NewGuid():N}"),
        ];
        EventPipeSession session;
        try
        {
            session = client.StartEventPipeSession(providers, requestRundown: false, circularBufferMB: 64);
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or UnsupportedCommandException)
        {
            throw new DiagTargetException($"cannot start a diagnostics session in process {processId}: {e.Message}", e);
        }
        return new RuntimeMonitor(processId, session, meters);
    }

    /// <summary>A copy of the current state.</summary>
    public RuntimeSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new RuntimeSnapshot(DateTime.UtcNow, _ticks, [.. _latest.Values], _gc.Totals());
        }
    }

    /// <summary>Snapshot, then forget the longest GC pauses so the next snapshot's maxima cover only what follows.</summary>
    public RuntimeSnapshot SnapshotAndResetPauseMaximum()
    {
        lock (_gate)
        {
            RuntimeSnapshot snapshot = Snapshot();
            _gc.ResetMaximum();
            return snapshot;
        }
    }

    /// <summary>
    /// Waits until more than <paramref name="tick"/> intervals are complete. False on timeout or when the stream
    /// ended (the target exited); throws <see cref="DiagTargetException"/> when the target reported a session error.
    /// </summary>
    public bool WaitForTick(long tick, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (_ticks <= tick)
            {
                if (_error is not null)
                {
                    throw new DiagTargetException($"process {ProcessId}: {_error}");
                }
                TimeSpan left = deadline - DateTime.UtcNow;
                if (_ended || left <= TimeSpan.Zero)
                {
                    return false;
                }
                Monitor.Wait(_gate, left);
            }
            return true;
        }
    }

    /// <summary>True once the event stream ended: the session was stopped or the target exited.</summary>
    public bool Ended
    {
        get
        {
            lock (_gate)
            {
                return _ended;
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            _session.Stop();
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException or EndOfStreamException)
        {
            // The target already exited: the stream has ended or is about to.
        }
        _ = _reader.Join(TimeSpan.FromSeconds(5));
        _session.Dispose();
    }

    private void ReadEvents()
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Clr.GCStart += data => Locked(() => _gc.OnGcStart(data));
            source.Clr.GCSuspendEEStart += data => Locked(() => _gc.OnSuspendStart(data));
            source.Clr.GCRestartEEStop += data => Locked(() => _gc.OnRestartEnd(data.TimeStampRelativeMSec));
            source.Dynamic.All += OnDynamicEvent;
            _ = source.Process();
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException)
        {
            // The target exited mid-event; what was read so far stays available.
        }
        finally
        {
            lock (_gate)
            {
                _ended = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void OnDynamicEvent(TraceEvent data)
    {
        if (data.ProviderName != MetricsEventDecoder.ProviderName)
        {
            return;
        }
        if (MetricsEventDecoder.TryDecode(data, out MetricValue value))
        {
            if (_meters.Contains(value.Meter))
            {
                Locked(() => _latest[value.Key] = value);
            }
            return;
        }
        if (MetricsEventDecoder.IsCollectionStop(data))
        {
            lock (_gate)
            {
                _ticks++;
                Monitor.PulseAll(_gate);
            }
            return;
        }
        string? error = MetricsEventDecoder.SessionError(data);
        if (error is not null)
        {
            lock (_gate)
            {
                _error ??= error;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void Locked(Action action)
    {
        lock (_gate)
        {
            action();
        }
    }
}
