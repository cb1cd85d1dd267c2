using System;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace FastMQ.Network;

/// <summary>
/// One client connection: reads size-prefixed Kafka frames and hands them to an <see cref="IFrameHandler"/>, and sends
/// responses in request order.
/// </summary>
/// <remarks>
/// Threads: the receive loop runs on the thread pool (.NET sockets, ValueTask receives, no allocation per frame).
/// Responses are completed by the connection's shard (<see cref="Complete"/> must only be called from that one
/// thread); the shard then sends them itself with non-blocking send/sendfile, and only when the socket would block
/// does an async pump on the thread pool take over until the queue is empty. Whoever holds <c>_sending</c> owns the
/// send cursor. Back-pressure: at most <see cref="NetworkOptions.MaxInFlightRequestsPerConnection"/> requests are
/// between "frame read" and "response sent"; beyond that the receive loop waits.
/// </remarks>
public sealed partial class KafkaConnection : IKafkaConnection, IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkOptions _options;
    private readonly ReceiveBufferPool _bufferPool;
    private readonly IFrameHandler _handler;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closed = new();

    // Reorder buffer: responses completed out of order wait here until their predecessors are done (shard thread only).
    private readonly ResponseReorderWindow _reorder;

    // Single-producer (shard) single-consumer (holder of _sending) queue of responses ready to send, in order.
    private readonly ResponseFrame?[] _outbound;
    private long _outboundHead; // consumer position
    private long _outboundTail; // producer position

    private int _sending;
    private int _closedFlag;
    private int _inFlight;
    private TaskCompletionSource? _creditWaiter;

    // Send cursor, owned by the holder of _sending.
    private ResponseFrame? _current;
    private int _segment;
    private long _segmentOffset;

    public KafkaConnection(long id, Socket socket, NetworkOptions options, ReceiveBufferPool bufferPool, IFrameHandler handler, ILogger logger)
    {
        Id = id;
        _socket = socket;
        _options = options;
        _bufferPool = bufferPool;
        _handler = handler;
        _logger = logger;
        RemoteEndPoint = socket.RemoteEndPoint?.ToString() ?? "?";
        int capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, options.MaxInFlightRequestsPerConnection));
        _reorder = new ResponseReorderWindow(capacity);
        _outbound = new ResponseFrame?[capacity];
        socket.NoDelay = true;
        // Non-blocking so the shard can send without ever waiting; receives are async either way.
        socket.Blocking = false;
    }

    public long Id { get; }

    public string RemoteEndPoint { get; }

    /// <summary>The shard that owns this connection; set by the frame handler in OnConnected.</summary>
    public int ShardIndex { get; set; } = -1;

    /// <summary>Per-connection state owned by the broker (e.g. negotiated versions, client id).</summary>
    public object? State { get; set; }

    public bool IsClosed => Volatile.Read(ref _closedFlag) != 0;

    /// <summary>Socket descriptor, for sendfile.</summary>
    internal int SocketFd => (int)_socket.SafeHandle.DangerousGetHandle();

    public void Start()
    {
        _handler.OnConnected(this);
        _ = ReceiveLoopAsync();
    }

    /// <summary>Closes the connection with a reason that is logged once; safe from any thread, idempotent.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closedFlag, 1) != 0)
        {
            return;
        }
        _logger.LogInformation("Connection {Id} from {Remote} closed: {Reason}", Id, RemoteEndPoint, reason);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing to shut down.
        }
        catch (ObjectDisposedException)
        {
        }
        _closed.Cancel();
        _socket.Dispose();
        Interlocked.Exchange(ref _creditWaiter, null)?.TrySetResult();
        _handler.OnClosed(this, reason);
    }

    /// <summary>Closes the connection (reason "disposed") and frees its cancellation source.</summary>
    public void Dispose()
    {
        Close("disposed");
        _closed.Dispose();
    }

    /// <summary>
    /// Completes request <paramref name="sequence"/> with a response, or with none (<paramref name="response"/> null,
    /// e.g. Produce with acks=0). Call only on the connection's shard thread. Responses go out in sequence order.
    /// </summary>
    public void Complete(long sequence, ResponseFrame? response)
    {
        _reorder.Complete(sequence, response);
        bool queued = false;
        while (_reorder.TryRelease(out ResponseFrame? ready))
        {
            if (ready is null)
            {
                ReturnCredit();
                continue;
            }
            if (IsClosed)
            {
                ResponseFramePool.Return(ready);
                ReturnCredit();
                continue;
            }
            // The slot write must be visible before the tail moves: the consumer reads the slot after seeing the tail.
            _outbound[_outboundTail & (_outbound.Length - 1)] = ready;
            Volatile.Write(ref _outboundTail, _outboundTail + 1);
            queued = true;
        }
        if (queued)
        {
            TrySendFromShard();
        }
    }

    private void ReturnCredit()
    {
        Interlocked.Decrement(ref _inFlight);
        // Interlocked.Exchange is a full fence: it cannot be reordered before the decrement, pairing with the
        // receive loop's publish-then-recheck in WaitForCreditAsync.
        Interlocked.Exchange(ref _creditWaiter, null)?.TrySetResult();
    }

    private async Task ReceiveLoopAsync()
    {
        ReceiveBuffer buffer = _bufferPool.Rent(_options.ReceiveBufferBytes);
        int start = 0;
        int end = 0;
        long sequence = 0;
        string reason = "peer closed the connection";
        try
        {
            while (!IsClosed)
            {
                if (end == buffer.Length)
                {
                    if (start == end && buffer.HasSingleOwner)
                    {
                        start = end = 0;
                    }
                    else
                    {
                        // Move the unparsed tail (a partial frame, its size already checked) to a fresh buffer;
                        // frames in flight keep the old one.
                        int needed = end - start;
                        if (needed >= 4)
                        {
                            needed = GrowTarget(needed, 4 + BinaryPrimitives.ReadInt32BigEndian(buffer.Array.AsSpan(start)));
                        }
                        ReceiveBuffer next = _bufferPool.Rent(Math.Max(_options.ReceiveBufferBytes, needed));
                        buffer.Array.AsSpan(start, end - start).CopyTo(next.Array);
                        end -= start;
                        start = 0;
                        buffer.Release();
                        buffer = next;
                    }
                }
                int n = await _socket.ReceiveAsync(buffer.Array.AsMemory(end), SocketFlags.None, _closed.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                end += n;
                while (end - start >= 4)
                {
                    int size = BinaryPrimitives.ReadInt32BigEndian(buffer.Array.AsSpan(start));
                    if (size < NetworkOptions.MinRequestBytes || size > _options.MaxRequestBytes)
                    {
                        reason = $"frame size {size} outside [{NetworkOptions.MinRequestBytes}, {_options.MaxRequestBytes}] (socket.request.max.bytes)";
                        return;
                    }
                    if (end - start - 4 < size)
                    {
                        int target = GrowTarget(end - start, 4 + size);
                        if (4 + size > buffer.Length - start && (start > 0 || target > buffer.Length))
                        {
                            // Will not fit: move now so the rest of the frame lands in place (or, for a frame far
                            // larger than what has arrived, into a buffer that grows with the bytes actually sent).
                            ReceiveBuffer next = _bufferPool.Rent(target);
                            buffer.Array.AsSpan(start, end - start).CopyTo(next.Array);
                            end -= start;
                            start = 0;
                            buffer.Release();
                            buffer = next;
                        }
                        break;
                    }
                    await WaitForCreditAsync().ConfigureAwait(false);
                    if (IsClosed)
                    {
                        return;
                    }
                    buffer.AddRef();
                    _handler.OnFrame(this, new FrameLease(buffer, start + 4, size, sequence++));
                    start += 4 + size;
                }
                if (start == end && buffer.HasSingleOwner)
                {
                    start = end = 0;
                }
            }
        }
        catch (OperationCanceledException)
        {
            reason = "closed";
        }
        catch (SocketException e)
        {
            reason = $"socket error: {e.SocketErrorCode}";
        }
        catch (ObjectDisposedException)
        {
            reason = "closed";
        }
        catch (Exception e)
        {
            reason = $"receive failed: {e.GetType().Name}: {e.Message}";
            _logger.LogError(e, "Connection {Id}: receive loop failed", Id);
        }
        finally
        {
            buffer.Release();
            Close(reason);
        }
    }

    /// <summary>
    /// Buffer size for a partial frame of <paramref name="frameBytes"/> (prefix included) of which <paramref name="have"/>
    /// bytes arrived: the whole frame, but at most twice what arrived (at least one receive buffer). Memory so follows
    /// the bytes a client really sends, not the size it announces (announcing 100 MiB and sending 1 KiB must not cost
    /// 100 MiB); doubling keeps the copies of a genuinely large frame linear in its size.
    /// </summary>
    private int GrowTarget(int have, int frameBytes) =>
        (int)Math.Min(frameBytes, Math.Max(_options.ReceiveBufferBytes, 2L * have));

    private ValueTask WaitForCreditAsync()
    {
        if (Interlocked.Increment(ref _inFlight) <= _options.MaxInFlightRequestsPerConnection)
        {
            return ValueTask.CompletedTask;
        }
        return WaitSlowAsync();
    }

    private async ValueTask WaitSlowAsync()
    {
        while (!IsClosed && Volatile.Read(ref _inFlight) > _options.MaxInFlightRequestsPerConnection)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _creditWaiter, waiter);
            // Re-check after publishing (full fence above): a credit returned before the publish is seen here.
            if (Volatile.Read(ref _inFlight) <= _options.MaxInFlightRequestsPerConnection || IsClosed)
            {
                break;
            }
            await waiter.Task.ConfigureAwait(false);
        }
    }
}
