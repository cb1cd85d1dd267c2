using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Broker.Metrics;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace FastMQ.Server.Metrics;

/// <summary>
/// The Prometheus scrape endpoint: <c>GET /metrics</c> on its own port answers the text exposition format 0.0.4 with
/// the broker's meter and the .NET runtime's (System.Runtime meter and prometheus-net's process statistics) through a
/// prometheus-net registry, followed by the broker's latency histograms, which FastMQ renders itself.
/// </summary>
/// <remarks>
/// <para>A deliberately small HTTP/1.1 server on a plain socket bound to exactly the configured address: one request
/// per connection (<c>Connection: close</c>), handled one at a time on a background task, never on a shard.
/// HttpListener was not used because on Linux it matches the request's Host header against the bound prefix, so a
/// scrape of <c>localhost:9464</c> would miss a listener bound to 127.0.0.1.</para>
/// <para>Lifecycle: <see cref="Start"/> binds (throws <see cref="SocketException"/> if it cannot), <see cref="DisposeAsync"/>
/// stops accepting and waits for the request in progress.</para>
/// </remarks>
internal sealed class MetricsEndpoint : IAsyncDisposable
{
    private const int MaxRequestBytes = 16 * 1024;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly BrokerMetrics _metrics;
    private readonly CollectorRegistry _registry;
    private readonly MeterBridge _bridge;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _serving = Task.CompletedTask;

    private MetricsEndpoint(Socket socket, BrokerMetrics metrics, ILogger logger)
    {
        _socket = socket;
        _metrics = metrics;
        _logger = logger;
        _registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(_registry);
        _bridge = new MeterBridge(_registry, BrokerMetrics.MeterName, "System.Runtime");
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Binds <paramref name="host"/>:<paramref name="port"/> and starts serving.</summary>
    public static MetricsEndpoint Start(string host, int port, BrokerMetrics metrics, ILogger logger)
    {
        IPAddress address = Resolve(host);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(16);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var endpoint = new MetricsEndpoint(socket, metrics, logger);
        endpoint._serving = Task.Run(endpoint.AcceptLoopAsync);
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _serving.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _bridge.Dispose();
        _stop.Dispose();
    }

    private static IPAddress Resolve(string host)
    {
        if (host is "" or "0.0.0.0" or "*")
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
        IPAddress[] addresses = Dns.GetHostAddresses(host);
        foreach (IPAddress a in addresses)
        {
            if (a.AddressFamily == AddressFamily.InterNetwork)
            {
                return a;
            }
        }
        return addresses[0];
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && _stop.IsCancellationRequested)
            {
                return;
            }
            using (client)
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    timeout.CancelAfter(RequestTimeout);
                    await ServeAsync(client, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
                {
                    _logger.LogDebug("Metrics request from {Remote} dropped: {Message}", client.RemoteEndPoint, e.Message);
                }
                catch (Exception e)
                {
                    // A bug in a collection callback must not end the endpoint: log it and answer the next scrape.
                    _logger.LogError(e, "Metrics request failed");
                }
            }
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancel)
    {
        string? requestLine = await ReadRequestLineAsync(client, cancel).ConfigureAwait(false);
        if (requestLine is null)
        {
            await RespondAsync(client, "400 Bad Request", "text/plain; charset=utf-8", "bad request\n"u8.ToArray(), cancel).ConfigureAwait(false);
            return;
        }
        string[] parts = requestLine.Split(' ');
        string method = parts[0];
        string path = parts.Length > 1 ? parts[1].Split('?')[0] : "";
        if (method is not ("GET" or "HEAD"))
        {
            await RespondAsync(client, "405 Method Not Allowed", "text/plain; charset=utf-8", "only GET /metrics is served\n"u8.ToArray(), cancel).ConfigureAwait(false);
            return;
        }
        if (path != "/metrics")
        {
            await RespondAsync(client, "404 Not Found", "text/plain; charset=utf-8", "FastMQ serves Prometheus metrics at /metrics\n"u8.ToArray(), cancel).ConfigureAwait(false);
            return;
        }
        byte[] body = await RenderAsync(cancel).ConfigureAwait(false);
        await RespondAsync(client, "200 OK", "text/plain; version=0.0.4; charset=utf-8", method == "HEAD" ? null : body, cancel, body.Length).ConfigureAwait(false);
    }

    /// <summary>The whole scrape: prometheus-net's registry (broker meter, runtime), then the latency histograms.</summary>
    internal async Task<byte[]> RenderAsync(CancellationToken cancel)
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream, cancel).ConfigureAwait(false);
        await using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 4096, leaveOpen: true))
        {
            _metrics.WriteHistograms(writer);
        }
        return stream.ToArray();
    }

    /// <summary>Reads the header block (up to a blank line) and returns its first line, or null if malformed.</summary>
    private static async Task<string?> ReadRequestLineAsync(Socket client, CancellationToken cancel)
    {
        byte[] buffer = new byte[MaxRequestBytes];
        int length = 0;
        while (length < buffer.Length)
        {
            int n = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancel).ConfigureAwait(false);
            if (n == 0)
            {
                return null;
            }
            length += n;
            int end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                int lineEnd = buffer.AsSpan(0, end + 2).IndexOf("\r\n"u8);
                return Encoding.ASCII.GetString(buffer, 0, lineEnd);
            }
        }
        return null;
    }

    private static async Task RespondAsync(Socket client, string status, string contentType, byte[]? body, CancellationToken cancel, int? contentLength = null)
    {
        string head = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {contentLength ?? body?.Length ?? 0}\r\nConnection: close\r\n\r\n";
        await SendAllAsync(client, Encoding.ASCII.GetBytes(head), cancel).ConfigureAwait(false);
        if (body is { Length: > 0 })
        {
            await SendAllAsync(client, body, cancel).ConfigureAwait(false);
        }
        client.Shutdown(SocketShutdown.Send);
    }

    private static async Task SendAllAsync(Socket client, byte[] bytes, CancellationToken cancel)
    {
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await client.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancel).ConfigureAwait(false);
        }
    }
}
