using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Internal;

/// <summary>
/// One TCP connection to one broker: Kafka framing (INT32 size, header, body), correlation ids, and the ApiVersions
/// handshake that fixes the version used for every later request.
/// </summary>
/// <remarks>
/// <para>Lifecycle: <see cref="ConnectAsync"/> connects and negotiates; <see cref="SendAsync{T}(ApiKey, RequestBodyWriter, ResponseBodyReader{T}, CancellationToken)"/>
/// then sends one request and returns its decoded response; <see cref="DisposeAsync"/> closes the socket.</para>
/// <para>Threading: callers may share a connection; requests are serialised, one in flight at a time. Kafka allows
/// pipelining, which the zero-allocation client will use; the admin and CLI paths do not need it.</para>
/// <para>Failure: a timeout, a socket error or a wrong correlation id leaves the byte stream in an unknown state, so
/// the connection marks itself unusable (<see cref="IsUsable"/>) and every later call fails fast. A response body the
/// codecs reject does not: framing is intact, so only that request fails.</para>
/// </remarks>
internal sealed class BrokerConnection : IAsyncDisposable
{
    /// <summary>Largest response frame accepted; a bigger size prefix means a broken stream or a hostile peer.</summary>
    public const int MaxResponseBytes = 256 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly ClientOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _sizePrefix = new byte[4];
    private byte[] _sendBuffer = new byte[4096];
    private int _lastCorrelationId;
    private NegotiatedVersions? _versions;
    private bool _broken;

    private BrokerConnection(Socket socket, BrokerEndpoint endpoint, ClientOptions options)
    {
        _socket = socket;
        _options = options;
        Endpoint = endpoint;
    }

    public BrokerEndpoint Endpoint { get; }

    /// <summary>The broker's advertised APIs and the version chosen for each.</summary>
    public NegotiatedVersions Versions =>
        _versions ?? throw new InvalidOperationException("the ApiVersions handshake has not completed");

    /// <summary>The ApiVersions version the broker accepted.</summary>
    public short ApiVersionsVersion { get; private set; }

    /// <summary>False once the connection failed mid-request or was disposed.</summary>
    public bool IsUsable => !_broken;

    /// <summary>
    /// Connects and negotiates API versions. Throws <see cref="BrokerUnreachableException"/> when the broker cannot be
    /// reached or does not answer in time, <see cref="BrokerProtocolException"/> when its answer is unusable.
    /// </summary>
    public static async Task<BrokerConnection> ConnectAsync(BrokerEndpoint endpoint, ClientOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new BrokerUnreachableException(
                    $"cannot connect to {endpoint}: no answer within {Ms(options.ConnectTimeout)} ms", isTimeout: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new BrokerUnreachableException($"cannot connect to {endpoint}: {e.Message}", e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        var connection = new BrokerConnection(socket, endpoint, options);
        try
        {
            await connection.HandshakeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return connection;
    }

    /// <summary>Sends a request at the negotiated version of <paramref name="apiKey"/> and returns the decoded response.</summary>
    public Task<T> SendAsync<T>(ApiKey apiKey, RequestBodyWriter writeBody, ResponseBodyReader<T> readBody,
        CancellationToken cancellationToken) =>
        SendAsync(apiKey, Versions.Require(apiKey), writeBody, readBody, cancellationToken);

    /// <summary>Sends a request at an explicit version (used by the handshake and by tests of version handling).</summary>
    public async Task<T> SendAsync<T>(ApiKey apiKey, short version, RequestBodyWriter writeBody,
        ResponseBodyReader<T> readBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writeBody);
        ArgumentNullException.ThrowIfNull(readBody);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_broken)
            {
                throw new BrokerUnreachableException($"the connection to {Endpoint} is closed after an earlier failure");
            }
            return await ExchangeAsync(apiKey, version, writeBody, readBody, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _broken = true;
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var request = new ApiVersionsRequest
        {
            ClientSoftwareName = _options.SoftwareName,
            ClientSoftwareVersion = _options.SoftwareVersion,
        };
        short version = ApiVersionsRequest.MaxVersion;
        while (true)
        {
            ApiVersionsResponse response = await SendAsync(ApiKey.ApiVersions, version, request.Write,
                ApiVersionsNegotiation.Read, cancellationToken).ConfigureAwait(false);
            if (ApiVersionsNegotiation.TryLower(response, version, out short next))
            {
                version = next;
                continue;
            }
            if (response.ErrorCode != ErrorCode.None)
            {
                throw new BrokerErrorException(response.ErrorCode, $"ApiVersions v{version} to {Endpoint}");
            }
            ApiVersionsVersion = version;
            _versions = new NegotiatedVersions(response.ApiKeys);
            return;
        }
    }

    private async Task<T> ExchangeAsync<T>(ApiKey apiKey, short version, RequestBodyWriter writeBody,
        ResponseBodyReader<T> readBody, CancellationToken cancellationToken)
    {
        _lastCorrelationId = _lastCorrelationId == int.MaxValue ? 1 : _lastCorrelationId + 1;
        int correlationId = _lastCorrelationId;
        int length = BuildFrame(apiKey, version, correlationId, writeBody);
        string what = $"{apiKey} v{version}";
        byte[]? frame = null;
        int size;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout);
        try
        {
            await SendAllAsync(_sendBuffer.AsMemory(0, length), deadline.Token).ConfigureAwait(false);
            await ReceiveExactAsync(_sizePrefix, what, deadline.Token).ConfigureAwait(false);
            size = BinaryPrimitives.ReadInt32BigEndian(_sizePrefix);
            if (size < 4 || size > MaxResponseBytes)
            {
                throw new BrokerProtocolException(
                    $"{Endpoint} sent a response frame of {size} bytes to {what} (expected 4-{MaxResponseBytes})");
            }
            frame = ArrayPool<byte>.Shared.Rent(size);
            await ReceiveExactAsync(frame.AsMemory(0, size), what, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever happened, the stream may hold part of a frame now: nothing later can be trusted on it.
            _broken = true;
            _socket.Dispose();
            if (frame is not null)
            {
                ArrayPool<byte>.Shared.Return(frame);
            }
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new BrokerUnreachableException(
                    $"{Endpoint} did not answer {what} within {Ms(_options.RequestTimeout)} ms", e, isTimeout: true);
            }
            if (e is SocketException se)
            {
                throw new BrokerUnreachableException($"connection to {Endpoint} lost during {what}: {se.Message}", se);
            }
            throw;
        }
        try
        {
            return Decode(frame.AsSpan(0, size), apiKey, version, correlationId, readBody);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private int BuildFrame(ApiKey apiKey, short version, int correlationId, RequestBodyWriter writeBody)
    {
        var writer = KafkaWriter.CreatePooled();
        try
        {
            int slot = writer.BeginSizePrefix();
            RequestHeader.Write(ref writer, apiKey, version, correlationId, _options.ClientId,
                ClientApis.IsFlexibleRequest(apiKey, version));
            writeBody(ref writer, version);
            writer.EndSizePrefix(slot);
            int length = writer.Position;
            if (_sendBuffer.Length < length)
            {
                _sendBuffer = new byte[Math.Max(length, _sendBuffer.Length * 2)];
            }
            writer.Written.CopyTo(_sendBuffer);
            return length;
        }
        finally
        {
            writer.Dispose();
        }
    }

    private T Decode<T>(ReadOnlySpan<byte> frame, ApiKey apiKey, short version, int correlationId,
        ResponseBodyReader<T> readBody)
    {
        int received;
        var reader = new KafkaReader(frame);
        try
        {
            received = ResponseHeader.Read(ref reader, ClientApis.IsFlexibleResponse(apiKey, version));
        }
        catch (KafkaProtocolException e)
        {
            _broken = true;
            throw new BrokerProtocolException($"malformed response header from {Endpoint} for {apiKey} v{version}: {e.Message}", e);
        }
        if (received != correlationId)
        {
            // Responses come back in request order with the request's id; anything else means the stream is out of step.
            _broken = true;
            throw new BrokerProtocolException(
                $"{Endpoint} answered {apiKey} v{version} with correlation id {received}, expected {correlationId}");
        }
        try
        {
            return readBody(ref reader, version);
        }
        catch (KafkaProtocolException e)
        {
            throw new BrokerProtocolException($"malformed {apiKey} v{version} response from {Endpoint}: {e.Message}", e);
        }
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private async Task ReceiveExactAsync(Memory<byte> buffer, string what, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new BrokerProtocolException(
                    $"{Endpoint} closed the connection instead of answering {what} (Kafka brokers do this for requests they do not serve)");
            }
            buffer = buffer[read..];
        }
    }

    private static string Ms(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
