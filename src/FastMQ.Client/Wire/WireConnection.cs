using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Client.Wire;

/// <summary>
/// The data-plane connection to one broker: pipelined requests with a bounded number in flight, responses read by a
/// dedicated receive thread into pooled frames and handed to an <see cref="IResponseSink"/>.
/// </summary>
/// <remarks>
/// <para>Lifecycle: <see cref="Connect"/> connects and runs the ApiVersions handshake (blocking), then starts the
/// receive thread. <see cref="Dispose"/> closes the socket and fails every request still in flight.</para>
/// <para>Threading: one sender thread at a time calls <see cref="Send{TBody}"/> / <see cref="SendNoResponse{TBody}"/>
/// (the send buffer is not shared); the receive thread calls the sinks. Send blocks while <c>maxInFlight</c>
/// requests await responses.</para>
/// <para>Failure: a socket error, a timeout (no answer to the oldest request within the request timeout), a wrong
/// correlation id or a malformed frame fail the whole connection: <see cref="IsUsable"/> turns false and every
/// in-flight request gets <see cref="IResponseSink.OnFailure"/>, oldest first. Kafka answers in request order, so the
/// correlation id of each response must be that of the oldest request in flight.</para>
/// <para>Allocation: once the send buffer and the frame pool have grown to the largest request and response, sending
/// and receiving allocate nothing.</para>
/// </remarks>
internal sealed class WireConnection : IDisposable
{
    /// <summary>Largest response frame accepted; a bigger size prefix means a broken stream or a hostile peer.</summary>
    public const int MaxResponseBytes = BrokerConnection.MaxResponseBytes;

    private const int ReceiveBufferBytes = 64 * 1024;
    private const int TimeoutCheckMs = 250;

    private readonly Socket _socket;
    private readonly ClientOptions _options;
    private readonly int _maxInFlight;
    private readonly InFlight[] _ring;
    private readonly object _ringLock = new();
    private readonly FramePool _frames = new();
    private readonly byte[] _rx = GC.AllocateUninitializedArray<byte>(ReceiveBufferBytes);
    private readonly int _headerMaxBytes;
    private readonly long _timeoutTicks;
    private byte[] _sendBuffer = GC.AllocateUninitializedArray<byte>(64 * 1024);
    private Thread? _receiveThread;
    private Timer? _timeoutTimer;
    private NegotiatedVersions? _versions;
    private int _head;
    private int _count;
    private int _nextCorrelationId;
    private int _rxStart;
    private int _rxEnd;
    private int _failed;
    private Exception? _failure;

    private WireConnection(Socket socket, BrokerEndpoint endpoint, ClientOptions options, int maxInFlight)
    {
        _socket = socket;
        _options = options;
        _maxInFlight = maxInFlight;
        _ring = new InFlight[maxInFlight];
        Endpoint = endpoint;
        // api key, version, correlation id, client id (INT16 length + UTF-8), tagged fields (one byte).
        _headerMaxBytes = 2 + 2 + 4 + 2 + Encoding.UTF8.GetByteCount(options.ClientId) + 1;
        _timeoutTicks = (long)(options.RequestTimeout.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The broker this connection talks to.</summary>
    public BrokerEndpoint Endpoint { get; }

    /// <summary>The versions negotiated by the handshake; every request should use these.</summary>
    public NegotiatedVersions Versions => _versions ?? throw new InvalidOperationException("the handshake has not completed");

    /// <summary>False once the connection failed or was disposed; it never becomes usable again.</summary>
    public bool IsUsable => Volatile.Read(ref _failed) == 0;

    /// <summary>Why the connection failed, once <see cref="IsUsable"/> is false.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Requests sent and not yet answered.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_ringLock)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// Connects, negotiates API versions and starts the receive thread. Blocking. Throws
    /// <see cref="BrokerUnreachableException"/> when the broker cannot be reached or does not answer in time,
    /// <see cref="BrokerProtocolException"/> or <see cref="BrokerErrorException"/> when its answer is unusable.
    /// </summary>
    public static WireConnection Connect(BrokerEndpoint endpoint, ClientOptions options, int maxInFlight)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        Socket socket = ConnectBlocking(endpoint, options.ConnectTimeout);
        var connection = new WireConnection(socket, endpoint, options, maxInFlight);
        try
        {
            connection.Handshake();
        }
        catch (SocketException e)
        {
            connection.Dispose();
            throw new BrokerUnreachableException($"ApiVersions handshake with {endpoint} failed: {e.Message}", e,
                e.SocketErrorCode == SocketError.TimedOut);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        connection.Start();
        return connection;
    }

    /// <summary>
    /// Connects with the synchronous API so the socket stays in blocking mode: .NET emulates blocking calls on a
    /// socket that was ever used asynchronously with an operation object per call that has to wait, which would
    /// allocate per receive. The timeout is enforced by closing the socket from a timer.
    /// </summary>
    private static Socket ConnectBlocking(BrokerEndpoint endpoint, TimeSpan timeout)
    {
        System.Net.IPAddress[] addresses;
        try
        {
            addresses = System.Net.Dns.GetHostAddresses(endpoint.Host);
        }
        catch (SocketException e)
        {
            throw new BrokerUnreachableException($"cannot connect to {endpoint}: {e.Message}", e);
        }
        SocketException? last = null;
        foreach (System.Net.IPAddress address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            bool timedOut = false;
            using (new Timer(_ =>
            {
                timedOut = true;
                socket.Dispose();
            }, null, timeout, Timeout.InfiniteTimeSpan))
            {
                try
                {
                    socket.Connect(address, endpoint.Port);
                    if (!timedOut)
                    {
                        return socket;
                    }
                }
                catch (SocketException e)
                {
                    last = e;
                }
                catch (ObjectDisposedException)
                {
                }
            }
            socket.Dispose();
            if (timedOut)
            {
                throw new BrokerUnreachableException(
                    $"cannot connect to {endpoint}: no answer within {Ms(timeout)} ms", isTimeout: true);
            }
        }
        throw last is null
            ? new BrokerUnreachableException($"cannot connect to {endpoint}: the name has no address")
            : new BrokerUnreachableException($"cannot connect to {endpoint}: {last.Message}", last);
    }

    /// <summary>
    /// Frames header and body into the reused send buffer and writes them; blocks while <c>maxInFlight</c> requests
    /// are pending. Returns the correlation id. Throws <see cref="BrokerUnreachableException"/> (and never calls the
    /// sink) when the connection is already unusable; once registered, the request gets exactly one sink call, which
    /// may be <see cref="IResponseSink.OnFailure"/> from inside this call when the write fails.
    /// </summary>
    public int Send<TBody>(ApiKey apiKey, short version, ref TBody body, IResponseSink sink, long state)
        where TBody : struct, IRequestBody
    {
        ArgumentNullException.ThrowIfNull(sink);
        int correlationId = NextCorrelationId();
        int length = BuildFrame(apiKey, version, correlationId, ref body);
        lock (_ringLock)
        {
            while (_count == _maxInFlight && _failed == 0)
            {
                Monitor.Wait(_ringLock);
            }
            if (_failed != 0)
            {
                ThrowUnusable();
            }
            // Registered before the bytes leave, so a fast response always finds its entry.
            _ring[(_head + _count) % _maxInFlight] = new InFlight(correlationId, apiKey, version,
                ClientApis.IsFlexibleResponse(apiKey, version), sink, state, Stopwatch.GetTimestamp());
            _count++;
        }
        SendAll(length);
        return correlationId;
    }

    /// <summary>
    /// Sends a request the broker will not answer (Produce with acks=0): no in-flight slot, no sink call. Throws
    /// <see cref="BrokerUnreachableException"/> when the connection is or becomes unusable.
    /// </summary>
    public int SendNoResponse<TBody>(ApiKey apiKey, short version, ref TBody body) where TBody : struct, IRequestBody
    {
        if (Volatile.Read(ref _failed) != 0)
        {
            ThrowUnusable();
        }
        int correlationId = NextCorrelationId();
        int length = BuildFrame(apiKey, version, correlationId, ref body);
        SendAll(length);
        if (Volatile.Read(ref _failed) != 0)
        {
            ThrowUnusable();
        }
        return correlationId;
    }

    /// <summary>Closes the socket; in-flight requests fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Fail(new BrokerUnreachableException($"the connection to {Endpoint} was closed by the client"));
        _timeoutTimer?.Dispose();
        if (_receiveThread is not null && _receiveThread != Thread.CurrentThread)
        {
            _receiveThread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void Start()
    {
        _receiveThread = new Thread(ReceiveLoop)
        {
            IsBackground = true,
            Name = "fastmq-wire-rx " + Endpoint.ToString(),
        };
        _receiveThread.Start();
        _timeoutTimer = new Timer(static s => ((WireConnection)s!).CheckTimeout(), this, TimeoutCheckMs, TimeoutCheckMs);
    }

    private int NextCorrelationId()
    {
        _nextCorrelationId = _nextCorrelationId == int.MaxValue ? 1 : _nextCorrelationId + 1;
        return _nextCorrelationId;
    }

    private int BuildFrame<TBody>(ApiKey apiKey, short version, int correlationId, ref TBody body)
        where TBody : struct, IRequestBody
    {
        long needed = 4L + _headerMaxBytes + body.MaxSize(version);
        if (needed > _sendBuffer.Length)
        {
            if (needed > Array.MaxLength)
            {
                throw new ArgumentException($"a {apiKey} request of up to {needed} bytes is too large", nameof(body));
            }
            _sendBuffer = GC.AllocateUninitializedArray<byte>((int)Math.Max(needed, Math.Min(2L * _sendBuffer.Length, Array.MaxLength)));
        }
        var writer = new KafkaWriter(_sendBuffer);
        int slot = writer.BeginSizePrefix();
        RequestHeader.Write(ref writer, apiKey, version, correlationId, _options.ClientId,
            ClientApis.IsFlexibleRequest(apiKey, version));
        body.Write(ref writer, version);
        writer.EndSizePrefix(slot);
        return writer.Position;
    }

    private void SendAll(int length)
    {
        try
        {
            ReadOnlySpan<byte> data = _sendBuffer.AsSpan(0, length);
            while (!data.IsEmpty)
            {
                data = data[_socket.Send(data, SocketFlags.None)..];
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Fail(new BrokerUnreachableException($"connection to {Endpoint} lost while sending: {e.Message}", e));
        }
    }

    private void Handshake()
    {
        var request = new ApiVersionsRequest
        {
            ClientSoftwareName = _options.SoftwareName,
            ClientSoftwareVersion = _options.SoftwareVersion,
        };
        _socket.ReceiveTimeout = (int)Math.Min(_options.RequestTimeout.TotalMilliseconds, int.MaxValue);
        short version = ApiVersionsRequest.MaxVersion;
        while (true)
        {
            var body = new CodecRequestBody(request.Write);
            int correlationId = NextCorrelationId();
            SendAllOrThrow(BuildFrame(ApiKey.ApiVersions, version, correlationId, ref body));
            PooledFrame frame = ReadFrame();
            ApiVersionsResponse response;
            try
            {
                var reader = new KafkaReader(frame.Span);
                int received = ResponseHeader.Read(ref reader, flexible: false);
                if (received != correlationId)
                {
                    throw new BrokerProtocolException(
                        $"{Endpoint} answered ApiVersions with correlation id {received}, expected {correlationId}");
                }
                response = ApiVersionsNegotiation.Read(ref reader, version);
            }
            catch (KafkaProtocolException e)
            {
                throw new BrokerProtocolException($"malformed ApiVersions v{version} response from {Endpoint}: {e.Message}", e);
            }
            finally
            {
                frame.Release();
            }
            if (ApiVersionsNegotiation.TryLower(response, version, out short next))
            {
                version = next;
                continue;
            }
            if (response.ErrorCode != ErrorCode.None)
            {
                throw new BrokerErrorException(response.ErrorCode, $"ApiVersions v{version} to {Endpoint}");
            }
            _versions = new NegotiatedVersions(response.ApiKeys);
            _socket.ReceiveTimeout = 0; // the timeout timer watches requests from now on
            return;
        }
    }

    private void SendAllOrThrow(int length)
    {
        ReadOnlySpan<byte> data = _sendBuffer.AsSpan(0, length);
        while (!data.IsEmpty)
        {
            data = data[_socket.Send(data, SocketFlags.None)..];
        }
    }

    private void ReceiveLoop()
    {
        long allocated = ClientThreadAllocations.Begin();
        try
        {
            while (Volatile.Read(ref _failed) == 0)
            {
                PooledFrame frame = ReadFrame();
                Dispatch(frame);
                ClientThreadAllocations.Sample(ref allocated);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or ClientException)
        {
            Fail(e is ClientException ? e : new BrokerUnreachableException($"connection to {Endpoint} lost: {e.Message}", e));
        }
        catch (Exception e)
        {
            // A sink threw: a bug in the caller, but the stream may be out of step now, so nothing on it is trusted.
            Fail(new BrokerProtocolException($"a response handler on the connection to {Endpoint} failed: {e.Message}", e));
        }
    }

    private void Dispatch(PooledFrame frame)
    {
        InFlight entry;
        int bodyOffset;
        try
        {
            if (frame.Length < 4)
            {
                throw new BrokerProtocolException($"{Endpoint} sent a {frame.Length}-byte response frame");
            }
            int correlationId = BinaryPrimitives.ReadInt32BigEndian(frame.Span);
            lock (_ringLock)
            {
                if (_count == 0)
                {
                    throw new BrokerProtocolException($"{Endpoint} sent a response (correlation id {correlationId}) to no request");
                }
                entry = _ring[_head];
                if (entry.CorrelationId != correlationId)
                {
                    // Responses come back in request order with the request's id; anything else means the stream is out of step.
                    throw new BrokerProtocolException(
                        $"{Endpoint} answered {entry.ApiKey} v{entry.Version} with correlation id {correlationId}, expected {entry.CorrelationId}");
                }
                _ring[_head] = default;
                _head = (_head + 1) % _maxInFlight;
                _count--;
                Monitor.Pulse(_ringLock);
            }
            var reader = new KafkaReader(frame.Span);
            ResponseHeader.Read(ref reader, entry.FlexibleResponse);
            bodyOffset = reader.Position;
        }
        catch (KafkaProtocolException e)
        {
            frame.Release();
            throw new BrokerProtocolException($"malformed response header from {Endpoint}: {e.Message}", e);
        }
        catch
        {
            frame.Release();
            throw;
        }
        entry.Sink!.OnResponse(entry.CorrelationId, entry.ApiKey, entry.Version, frame, bodyOffset, entry.State);
    }

    /// <summary>Reads one frame: size prefix, then the frame into a pooled buffer. Blocking.</summary>
    private PooledFrame ReadFrame()
    {
        EnsureBuffered(4);
        int size = BinaryPrimitives.ReadInt32BigEndian(_rx.AsSpan(_rxStart));
        if (size < 4 || size > MaxResponseBytes)
        {
            throw new BrokerProtocolException(
                $"{Endpoint} sent a response frame of {size} bytes (expected 4-{MaxResponseBytes})");
        }
        _rxStart += 4;
        PooledFrame frame = _frames.Rent(size, out Span<byte> bytes);
        try
        {
            int buffered = Math.Min(size, _rxEnd - _rxStart);
            _rx.AsSpan(_rxStart, buffered).CopyTo(bytes);
            _rxStart += buffered;
            // The rest of a large frame is read straight into the frame, not through the staging buffer.
            Span<byte> rest = bytes[buffered..];
            while (!rest.IsEmpty)
            {
                int n = _socket.Receive(rest, SocketFlags.None);
                if (n == 0)
                {
                    ThrowClosed();
                }
                rest = rest[n..];
            }
        }
        catch
        {
            frame.Release();
            throw;
        }
        return frame;
    }

    private void EnsureBuffered(int bytes)
    {
        if (_rxEnd - _rxStart >= bytes)
        {
            return;
        }
        if (_rxStart > 0)
        {
            _rx.AsSpan(_rxStart, _rxEnd - _rxStart).CopyTo(_rx);
            _rxEnd -= _rxStart;
            _rxStart = 0;
        }
        while (_rxEnd < bytes)
        {
            int n = _socket.Receive(_rx.AsSpan(_rxEnd), SocketFlags.None);
            if (n == 0)
            {
                ThrowClosed();
            }
            _rxEnd += n;
        }
    }

    private void CheckTimeout()
    {
        bool expired;
        string what = "";
        lock (_ringLock)
        {
            expired = _count > 0 && Stopwatch.GetTimestamp() - _ring[_head].SentTicks > _timeoutTicks;
            if (expired)
            {
                what = $"{_ring[_head].ApiKey} v{_ring[_head].Version}";
            }
        }
        if (expired)
        {
            Fail(new BrokerUnreachableException(
                $"{Endpoint} did not answer {what} within {Ms(_options.RequestTimeout)} ms", isTimeout: true));
        }
    }

    private void Fail(Exception error)
    {
        if (Interlocked.Exchange(ref _failed, 1) != 0)
        {
            return;
        }
        // Published before the socket closes so that the threads it wakes see why.
        Volatile.Write(ref _failure, error);
        _socket.Dispose();
        _timeoutTimer?.Dispose();
        while (true)
        {
            InFlight entry;
            lock (_ringLock)
            {
                Monitor.PulseAll(_ringLock);
                if (_count == 0)
                {
                    return;
                }
                entry = _ring[_head];
                _ring[_head] = default;
                _head = (_head + 1) % _maxInFlight;
                _count--;
            }
            entry.Sink!.OnFailure(entry.CorrelationId, error, entry.State);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowUnusable() =>
        throw new BrokerUnreachableException(
            $"the connection to {Endpoint} is closed after an earlier failure: {Volatile.Read(ref _failure)?.Message}",
            Volatile.Read(ref _failure)!);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowClosed() => throw new BrokerUnreachableException($"{Endpoint} closed the connection");

    private static string Ms(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private readonly record struct InFlight(int CorrelationId, ApiKey ApiKey, short Version, bool FlexibleResponse,
        IResponseSink? Sink, long State, long SentTicks);
}
