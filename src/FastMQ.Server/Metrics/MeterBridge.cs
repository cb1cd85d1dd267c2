using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Prometheus;

namespace FastMQ.Server.Metrics;

/// <summary>
/// Feeds the observable instruments of chosen meters (FastMQ.Broker, System.Runtime) into a prometheus-net registry
/// at scrape time: prometheus-net's own MeterAdapter would export counters as gauges, so this maps them to proper
/// Prometheus counters (<c>_total</c>) and adds unit suffixes (<c>_bytes</c>, <c>_seconds</c>).
/// </summary>
/// <remarks>
/// Only observable instruments are enabled: their callbacks run when a scrape calls
/// <see cref="MeterListener.RecordObservableInstruments"/>, so the bridge costs nothing between scrapes and nothing on
/// any request path. Series not reported by a scrape (a deleted topic) are removed from the registry. Threading: the
/// registry's before-collect callback runs under <see cref="_gate"/>; prometheus-net serialises collections anyway.
/// </remarks>
internal sealed class MeterBridge : IDisposable
{
    // .NET declares these System.Runtime levels as ObservableCounter; they go up and down, so they are gauges here.
    private static readonly HashSet<string> RuntimeLevels = new(StringComparer.Ordinal)
    {
        "dotnet.thread_pool.thread.count",
        "dotnet.thread_pool.queue.length",
    };

    private readonly HashSet<string> _meters;
    private readonly MetricFactory _factory;
    private readonly MeterListener _listener = new();
    private readonly Dictionary<Instrument, Family> _families = [];
    private readonly object _gate = new();

    public MeterBridge(CollectorRegistry registry, params string[] meterNames)
    {
        _meters = new HashSet<string>(meterNames, StringComparer.Ordinal);
        _factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.IsObservable && _meters.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => OnMeasurement(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => OnMeasurement(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => OnMeasurement(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => OnMeasurement(i, v, tags));
        _listener.Start();
        registry.AddBeforeCollectCallback(Collect);
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The Prometheus name of an instrument: dots to underscores, a unit suffix, <c>_total</c> for counters.</summary>
    public static string PrometheusName(Instrument instrument)
    {
        var name = new StringBuilder(Sanitize(instrument.Name));
        string? suffix = instrument.Unit switch
        {
            "By" => "_bytes",
            "s" => "_seconds",
            _ => null,
        };
        if (suffix is not null && !name.ToString().EndsWith(suffix, StringComparison.Ordinal))
        {
            name.Append(suffix);
        }
        if (IsCounter(instrument))
        {
            name.Append("_total");
        }
        return name.ToString();
    }

    private static bool IsCounter(Instrument instrument) => instrument.GetType().IsGenericType
        && instrument.GetType().GetGenericTypeDefinition() == typeof(ObservableCounter<>)
        && !RuntimeLevels.Contains(instrument.Name);

    private static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return sb.ToString();
    }

    private void Collect()
    {
        lock (_gate)
        {
            foreach (Family f in _families.Values)
            {
                f.BeginScrape();
            }
            _listener.RecordObservableInstruments();
            foreach (Family f in _families.Values)
            {
                f.EndScrape();
            }
        }
    }

    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
        {
            if (!_families.TryGetValue(instrument, out Family? family))
            {
                var labelNames = new string[tags.Length];
                for (int i = 0; i < tags.Length; i++)
                {
                    labelNames[i] = Sanitize(tags[i].Key);
                }
                string help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
                family = new Family(_factory, PrometheusName(instrument), help, IsCounter(instrument), labelNames);
                _families.Add(instrument, family);
            }
            family.Set(tags, value);
        }
    }

    /// <summary>One Prometheus metric family and the label sets seen in the current and the previous scrape.</summary>
    private sealed class Family
    {
        private readonly Counter? _counter;
        private readonly Gauge? _gauge;
        private readonly int _labelCount;
        private Dictionary<string, string[]> _previous = new(StringComparer.Ordinal);
        private Dictionary<string, string[]> _current = new(StringComparer.Ordinal);

        public Family(MetricFactory factory, string name, string help, bool counter, string[] labelNames)
        {
            _labelCount = labelNames.Length;
            if (counter)
            {
                _counter = factory.CreateCounter(name, help, labelNames);
            }
            else
            {
                _gauge = factory.CreateGauge(name, help, labelNames);
            }
        }

        public void BeginScrape() => _current.Clear();

        public void Set(ReadOnlySpan<KeyValuePair<string, object?>> tags, double value)
        {
            if (tags.Length != _labelCount)
            {
                return; // An instrument that changes its tag set between measurements: keep the first shape.
            }
            var values = new string[tags.Length];
            for (int i = 0; i < tags.Length; i++)
            {
                values[i] = Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "";
            }
            _current[string.Join('\u0001', values)] = values;
            if (_counter is not null)
            {
                Counter.Child child = _counter.WithLabels(values);
                if (value < child.Value)
                {
                    // The source restarted from zero (a topic deleted and created again between scrapes): start over.
                    _counter.RemoveLabelled(values);
                    child = _counter.WithLabels(values);
                }
                child.IncTo(value);
            }
            else
            {
                _gauge!.WithLabels(values).Set(value);
            }
        }

        public void EndScrape()
        {
            foreach ((string key, string[] values) in _previous)
            {
                if (!_current.ContainsKey(key) && values.Length > 0)
                {
                    if (_counter is not null)
                    {
                        _counter.RemoveLabelled(values);
                    }
                    else
                    {
                        _gauge!.RemoveLabelled(values);
                    }
                }
            }
            (_previous, _current) = (_current, _previous);
        }
    }
}
