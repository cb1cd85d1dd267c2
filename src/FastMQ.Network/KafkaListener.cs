using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace FastMQ.Network;

/// <summary>Accepts TCP connections on one endpoint and starts a <see cref="KafkaConnection"/> for each.</summary>
/// <remarks>The accept loop is async on the thread pool; it allocates per connection, never per request.</remarks>
public sealed class KafkaListener : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkOptions _options;
    private readonly IFrameHandler _handler;
    private readonly ILogger _logger;
    private readonly ReceiveBufferPool _buffers;
    private readonly CancellationTokenSource _stop = new();
    private long _nextConnectionId;
    private Task? _acceptLoop;

    public KafkaListener(IPEndPoint endPoint, NetworkOptions options, IFrameHandler handler, ILogger logger)
    {
        _options = options;
        _handler = handler;
        _logger = logger;
        _buffers = new ReceiveBufferPool(options.ReceiveBufferBytes, (int)Math.Min((long)options.MaxRequestBytes + 4, ReceiveBufferPool.MaxBufferBytes));
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // SO_REUSEADDR only (restart while old connections linger in TIME_WAIT). .NET's ReuseAddress option also sets
        // SO_REUSEPORT on Linux, which would let a second broker start silently on the same port.
        _socket.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
        _socket.Bind(endPoint);
        _socket.Listen(1024);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <summary>The bound endpoint (with the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    public void Start() => _acceptLoop = AcceptLoopAsync();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _logger.LogWarning("Accept on {EndPoint} failed: {Error}", LocalEndPoint, e.SocketErrorCode);
                continue;
            }
            var connection = new KafkaConnection(Interlocked.Increment(ref _nextConnectionId), client, _options, _buffers, _handler, _logger);
            connection.Start();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _acceptLoop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the socket; its exception is not interesting at shutdown.
        }
        _stop.Dispose();
    }
}
