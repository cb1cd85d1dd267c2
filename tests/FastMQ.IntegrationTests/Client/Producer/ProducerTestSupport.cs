using System;
using System.Collections.Generic;
using System.Threading;
using FastMQ.Client;
using FmProducer = FastMQ.Client.Producer;
using FmProducerConfig = FastMQ.Client.ProducerConfig;

namespace FastMQ.IntegrationTests.Client.Producer;

/// <summary>FastMQ.Client producers for tests against a broker process, and a delivery handler that records reports.</summary>
internal static class ProducerTestSupport
{
    public static FmProducer Create(string bootstrap, Action<FmProducerConfig>? configure = null)
    {
        var config = new FmProducerConfig { BootstrapServers = bootstrap, Linger = TimeSpan.FromMilliseconds(2) };
        configure?.Invoke(config);
        return new FmProducer(config);
    }
}

/// <summary>Keeps every delivery report (copied) so tests can check offsets, partitions and errors.</summary>
internal sealed class RecordingHandler : IDeliveryHandler
{
    private readonly object _gate = new();
    private readonly List<Delivered> _reports = [];

    public readonly record struct Delivered(string Topic, int Partition, long Offset, FastMQ.Protocol.Messages.ErrorCode Error,
        string? Message, long State);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _reports.Count;
            }
        }
    }

    public List<Delivered> Snapshot()
    {
        lock (_gate)
        {
            return [.. _reports];
        }
    }

    public void OnDelivery(in DeliveryReport report)
    {
        lock (_gate)
        {
            _reports.Add(new Delivered(report.Topic, report.Partition, report.Offset, report.Error, report.ErrorMessage, report.State));
            Monitor.PulseAll(_gate);
        }
    }

    public bool WaitFor(int count, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (_reports.Count < count)
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }
                Monitor.Wait(_gate, left);
            }
            return true;
        }
    }
}
