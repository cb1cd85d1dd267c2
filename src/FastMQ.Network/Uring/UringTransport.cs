using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using FastMQ.Interop;
using FastMQ.Runtime;
using Microsoft.Extensions.Logging;

namespace FastMQ.Network.Uring;

/// <summary>
/// The shard-driven network transport: every shard listens on the same port (SO_REUSEPORT; the kernel spreads
/// connections over the shards) and drives its sockets through its own io_uring, so a request is read, handled and
/// answered on one thread with no hand-off. The alternative to <see cref="KafkaListener"/> (.NET sockets on the
/// thread pool), chosen with <c>fastmq.network.backend=io_uring</c>.
/// </summary>
/// <remarks>
/// Lifecycle: construct before the <see cref="ShardSet"/>; pass <see cref="CreateIdleStrategy"/> as
/// <see cref="ShardSetOptions.IdleStrategyFactory"/> (creates each shard's ring); <see cref="Attach"/> before the set
/// starts (registers the work sources); <see cref="Start"/> when the broker is ready for clients (binds the
/// listeners); <see cref="StopAccepting"/> at shutdown; <see cref="Dispose"/> after the shards stopped.
/// </remarks>
public sealed class UringTransport : IDisposable
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int SoReusePort = 15;

    // IORING_FEAT_EXT_ARG (Linux 5.11): io_uring_enter takes a timeout, which the idle wait needs.
    private const uint FeatExtArg = 1u << 8;

    private readonly NetworkOptions _options;
    private readonly ILogger _logger;
    private readonly ReceiveBufferPool _buffers;
    private UringShardNetwork?[] _networks = [];
    private UringIdleStrategy?[] _idle = [];
    private Socket[] _listeners = [];
    private long _nextConnectionId;

    public UringTransport(NetworkOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _buffers = new ReceiveBufferPool(options.ReceiveBufferBytes, options.MaxRequestBytes + 4);
    }

    /// <summary>The bound endpoint (with the real port when 0 was asked for); valid after <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>The per-shard networks, by shard index.</summary>
    public ReadOnlySpan<UringShardNetwork?> Networks => _networks;

    /// <summary>
    /// True when this host can run the transport: io_uring usable by this process, with timed waits (Linux 5.11+).
    /// Otherwise <paramref name="reason"/> says why.
    /// </summary>
    public static bool IsSupported(out string? reason)
    {
        if (!TryCreateRing(8, out IoUring? ring, out reason))
        {
            return false;
        }
        ring!.Dispose();
        return true;
    }

    /// <summary>
    /// Creates <paramref name="shard"/>'s network ring and returns the idle strategy that sleeps on it. Throws when
    /// io_uring is unavailable (the reason says why), so a broker asked for io_uring fails at start-up.
    /// </summary>
    public IIdleStrategy CreateIdleStrategy(Shard shard)
    {
        int index = shard.Id.Value;
        if (index >= _networks.Length)
        {
            Array.Resize(ref _networks, index + 1);
            Array.Resize(ref _idle, index + 1);
        }
        // 4096 entries: each connection has at most two operations in flight, and a full SQ is submitted on the spot.
        if (!TryCreateRing(4096, out IoUring? ring, out string? reason))
        {
            throw new InvalidOperationException($"fastmq.network.backend=io_uring: {reason}");
        }
        var network = new UringShardNetwork(index, ring!, _options, _buffers, _logger);
        _networks[index] = network;
        network.EnableWake(shard);
        var idle = new UringIdleStrategy(shard, network, _options.IdleSpins, _options.IdleYields, _options.IdleWaitUs);
        _idle[index] = idle;
        return idle;
    }

    /// <summary>
    /// Lets another ring of <paramref name="shardIndex"/> (its storage device) wake the shard's idle wait on every
    /// completion: <paramref name="register"/> receives the shard's wake eventfd and returns whether it registered it.
    /// When it could not, the shard's idle wait is capped at <see cref="UnlinkedWaitUs"/> so those completions are
    /// still noticed promptly. Call after <see cref="CreateIdleStrategy"/> and before the set starts.
    /// </summary>
    public bool LinkCompletionWake(int shardIndex, Func<int, bool> register)
    {
        ArgumentNullException.ThrowIfNull(register);
        UringShardNetwork network = _networks.Length > shardIndex && _networks[shardIndex] is { } n
            ? n
            : throw new InvalidOperationException($"shard {shardIndex} has no network ring");
        bool linked = network.WakeEventFd >= 0 && register(network.WakeEventFd);
        if (!linked)
        {
            _idle[shardIndex]?.LimitWait(UnlinkedWaitUs);
        }
        return linked;
    }

    /// <summary>Idle wait of a shard whose storage completions cannot wake it (polled this often instead).</summary>
    public const int UnlinkedWaitUs = 50;

    /// <summary>Registers each shard's network as a work source; call before the set starts.</summary>
    public void Attach(ShardSet shards)
    {
        for (int i = 0; i < shards.Count; i++)
        {
            UringShardNetwork network = _networks.Length > i && _networks[i] is { } n
                ? n
                : throw new InvalidOperationException($"shard {i} has no network ring: pass CreateIdleStrategy as the IdleStrategyFactory");
            shards[i].AddWorkSource(network);
        }
    }

    /// <summary>Binds one listening socket per shard on <paramref name="endPoint"/> and lets the shards accept.</summary>
    public void Start(IPEndPoint endPoint, IFrameHandler handler)
    {
        if (endPoint.Port != 0)
        {
            // SO_REUSEPORT would let this broker share the port with another process that also set it (same user),
            // silently splitting clients between them. A bind with SO_REUSEADDR alone (set raw: .NET's ReuseAddress
            // sets SO_REUSEPORT too on Linux) fails with "address in use" while anyone listens there, yet passes
            // over TIME_WAIT leftovers of a restart; it is released at once and the shard listeners bind right after.
            using var probe = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            probe.Bind(endPoint);
        }
        var listeners = new Socket[_networks.Length];
        IPEndPoint bindTo = endPoint;
        for (int i = 0; i < listeners.Length; i++)
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.Bind(bindTo);
            socket.Listen(1024);
            listeners[i] = socket;
            // With port 0 the first bind picks the port; the others join it.
            bindTo = (IPEndPoint)socket.LocalEndPoint!;
        }
        _listeners = listeners;
        LocalEndPoint = bindTo;
        for (int i = 0; i < listeners.Length; i++)
        {
            _networks[i]!.Listen(listeners[i], handler, NextConnectionId);
        }
        _logger.LogInformation("Network: io_uring transport, {Count} listener(s) on {EndPoint} (SO_REUSEPORT)", listeners.Length, LocalEndPoint);
    }

    /// <summary>No new connections; existing ones keep being served until the shards stop. Any thread.</summary>
    public void StopAccepting()
    {
        foreach (UringShardNetwork? n in _networks)
        {
            n?.StopAccepting();
        }
    }

    /// <summary>Closes the listeners and rings; call only after the shards stopped polling them.</summary>
    public void Dispose()
    {
        StopAccepting();
        foreach (UringShardNetwork? n in _networks)
        {
            n?.Dispose();
        }
    }

    private static bool TryCreateRing(uint entries, out IoUring? ring, out string? reason)
    {
        if (!IoUring.TryCreate(entries, new IoUringOptions { CompletionQueueEntries = entries * 2 }, out ring, out reason))
        {
            return false;
        }
        if ((ring!.Features & FeatExtArg) == 0)
        {
            ring.Dispose();
            ring = null;
            reason = "the kernel's io_uring has no timed wait (IORING_FEAT_EXT_ARG, Linux 5.11+)";
            return false;
        }
        return true;
    }

    private long NextConnectionId() => Interlocked.Increment(ref _nextConnectionId);
}
