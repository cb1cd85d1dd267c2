using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using FastMQ.Broker.Configuration;
using FastMQ.Broker.Controller;
using FastMQ.Broker.Groups;
using FastMQ.Broker.Metadata;
using FastMQ.Broker.Metrics;
using FastMQ.Broker.Requests;
using FastMQ.Broker.Shards;
using FastMQ.Core;
using FastMQ.Network;
using FastMQ.Network.Uring;
using FastMQ.Runtime;
using FastMQ.Storage;
using FastMQ.Storage.Devices;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker;

/// <summary>
/// A running FastMQ broker: shards (one pinned thread per core, each with its own io_uring), the partitions they own,
/// the Kafka listener, and the topic controller.
/// </summary>
/// <remarks>
/// Start-up order: data directory and cluster id → shards → one storage context per shard → persisted topics opened on
/// their owners (recovering their logs) → listener. Shutdown reverses it: listener closed (no new requests), in-flight
/// requests drained, every log flushed and closed with its clean-shutdown marker, shards stopped.
/// </remarks>
public sealed class BrokerServer : IAsyncDisposable
{
    private readonly BrokerContext _context;
    private readonly ShardSet _shards;
    private readonly TopicController _controller;
    private readonly KafkaListener[] _listeners;
    private readonly UringTransport? _uring;
    private ShardStallDetector? _stalls;
    private bool _stopped;

    private BrokerServer(BrokerContext context, ShardSet shards, TopicController controller, KafkaListener[] listeners, UringTransport? uring)
    {
        _uring = uring;
        _context = context;
        _shards = shards;
        _controller = controller;
        _listeners = listeners;
    }

    /// <summary>The first listener's bound endpoint.</summary>
    public IPEndPoint EndPoint => _uring?.LocalEndPoint ?? _listeners[0].LocalEndPoint;

    public string ClusterId => _context.ClusterId;

    /// <summary>The broker's metrics (meter <c>FastMQ.Broker</c> and the latency histograms); see docs/METRICS.md.</summary>
    public BrokerMetrics Metrics { get; private init; } = null!;

    public static async Task<BrokerServer> StartAsync(BrokerOptions options, ILoggerFactory loggerFactory)
    {
        ILogger logger = loggerFactory.CreateLogger("FastMQ.Broker");
        string dataDir = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDir);
        var store = new MetadataStore(dataDir);
        string clusterId = store.LoadOrCreateClusterId();
        ListenerAddress bind = ListenerAddress.ParseList("listeners", options.Listeners)[0];
        ListenerAddress advertised = ListenerAddress.ParseList("advertised.listeners", options.AdvertisedListeners)[0];
        if (advertised.Host is "0.0.0.0" or "::" or "")
        {
            advertised = advertised with { Host = Dns.GetHostName() };
        }
        var context = new BrokerContext(options, loggerFactory, clusterId, advertised);

        // fastmq.network.backend=io_uring: each shard drives its own sockets on a network ring (docs/ARCHITECTURE.md, Network I/O).
        // The default falls back to sockets where io_uring is unusable; an explicit io_uring fails start-up instead.
        bool useUring = string.Equals(options.RawValue("fastmq.network.backend"), "io_uring", StringComparison.OrdinalIgnoreCase);
        if (useUring && options.IsDefault("fastmq.network.backend") && !UringTransport.IsSupported(out string? uringUnavailable))
        {
            logger.LogWarning("Network: io_uring unavailable ({Reason}); using .NET sockets", uringUnavailable);
            useUring = false;
        }
        UringTransport? uring = useUring
            ? new UringTransport(new NetworkOptions
            {
                MaxRequestBytes = options.SocketRequestMaxBytes,
                IdleSpins = options.ShardIdleSpins,
                IdleYields = options.ShardIdleYields,
                IdleWaitUs = options.ShardIdleWaitUs,
            }, loggerFactory.CreateLogger("FastMQ.Network"))
            : null;
        var shards = new ShardSet(new ShardSetOptions
        {
            ShardCount = options.Shards,
            IdleStrategyFactory = uring is null ? null : uring.CreateIdleStrategy,
            IdleSpins = options.ShardIdleSpins,
            IdleYields = options.ShardIdleYields,
            // The sockets backend parks on a futex, which storage completions cannot interrupt: it keeps polling them
            // every millisecond (fastmq.shard.idle.wait.us is the io_uring transport's sleep).
            IdleParkMs = 1,
        }, loggerFactory);
        context.Shards = shards;
        var states = new BrokerShard[shards.Count];
        DeviceKind preferred = options.IoBackend == "pwrite" ? DeviceKind.Pwrite : DeviceKind.IoUring;
        for (int i = 0; i < shards.Count; i++)
        {
            IStorageDevice device = StorageDevices.Create(preferred, loggerFactory.CreateLogger("FastMQ.Storage"), 256,
                options.IoBackend == "auto" ? null : options.IoBackend, null);
            // Storage completions (writes, fdatasyncs) wake a shard sleeping on its network ring at once.
            _ = uring?.LinkCompletionWake(i, device.TryRegisterCompletionEventFd);
            states[i] = new BrokerShard(context, new ShardId(i), new LogIoContext(device, SystemClock.Instance));
            shards[i].AddWorkSource(states[i]);
        }
        context.ShardStates = states;
        uring?.Attach(shards);
        shards.Start();
        // Metrics and the stall detector only read counters the shards keep anyway (docs/METRICS.md).
        ShardStallDetector? stalls = options.ShardStallThresholdMs > 0
            ? new ShardStallDetector(shards, options.ShardStallThresholdMs, loggerFactory.CreateLogger("FastMQ.Runtime.ShardStallDetector"))
            : null;
        stalls?.Start();
        var metrics = new BrokerMetrics(context, stalls);

        var controller = new TopicController(context, store, dataDir);
        context.Controller = controller;
        await controller.LoadAsync().ConfigureAwait(false);
        context.Groups = await GroupCoordinator.StartAsync(context).ConfigureAwait(false);

        var network = new NetworkOptions { MaxRequestBytes = options.SocketRequestMaxBytes };
        var handler = new BrokerFrameHandler(context);
        IPAddress address = ResolveBindAddress(bind.Host);
        KafkaListener[] listeners = [];
        if (uring is not null)
        {
            uring.Start(new IPEndPoint(address, bind.Port), handler);
        }
        else
        {
            var listener = new KafkaListener(new IPEndPoint(address, bind.Port), network, handler, loggerFactory.CreateLogger("FastMQ.Network"));
            listener.Start();
            listeners = [listener];
        }
        IPEndPoint bound = uring?.LocalEndPoint ?? listeners[0].LocalEndPoint;
        logger.LogInformation(
            "FastMQ broker ready: node {Node}, cluster {Cluster}, listening on {EndPoint} (advertised {Host}:{Port}), {Shards} shard(s), {Topics} topic(s), data in {Dir}, io {Io}",
            options.NodeId, clusterId, bound, advertised.Host, advertised.Port, shards.Count,
            context.Image.TopicCount, dataDir, states[0].Io.Device.Kind);
        return new BrokerServer(context, shards, controller, listeners, uring) { _stalls = stalls, Metrics = metrics };
    }

    private static IPAddress ResolveBindAddress(string host)
    {
        if (host is "" or "0.0.0.0")
        {
            return IPAddress.Any;
        }
        if (host == "::")
        {
            return IPAddress.IPv6Any;
        }
        if (IPAddress.TryParse(host, out IPAddress? ip))
        {
            return ip;
        }
        foreach (IPAddress a in Dns.GetHostAddresses(host))
        {
            if (a.AddressFamily == AddressFamily.InterNetwork)
            {
                return a;
            }
        }
        return Dns.GetHostAddresses(host)[0];
    }

    /// <summary>Graceful stop: no new connections, in-flight work finishes, logs flushed and marked clean.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        foreach (KafkaListener l in _listeners)
        {
            l.Dispose();
        }
        _uring?.StopAccepting();
        // Let requests already on the shards finish (acks waiting for fsync complete within a flush interval).
        await Task.Delay(200).ConfigureAwait(false);
        await _context.Groups.StopAsync().ConfigureAwait(false);
        await _controller.CloseAllAsync().ConfigureAwait(false);
        _shards.Stop();
        _stalls?.Dispose();
        Metrics.Dispose();
        _uring?.Dispose();
        foreach (BrokerShard s in _context.ShardStates)
        {
            s.Io.Dispose();
        }
        _controller.Dispose();
        _context.Logger.LogInformation("FastMQ broker stopped cleanly");
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
