using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace FastMQ.Network.Uring;

/// <summary>
/// One client connection of the io_uring transport: its socket is driven by the owning shard's network ring (RECV,
/// SEND, POLL_ADD), so frames are read, handed to the <see cref="IFrameHandler"/> and answered on that shard's thread.
/// </summary>
/// <remarks>
/// Threads: everything except <see cref="Close"/> and <see cref="IsClosed"/> runs on the owning shard
/// (<see cref="ShardIndex"/>), so receive state, the reorder window and the send cursor need no atomics. Frame logic
/// mirrors <see cref="KafkaConnection"/>: the same size checks, the same pooled ref-counted receive buffers and the
/// same back-pressure (at most <see cref="NetworkOptions.MaxInFlightRequestsPerConnection"/> requests between "frame
/// read" and "response sent"; beyond that no RECV is armed). At most one receive operation (RECV or POLL_ADD POLLIN)
/// and one send operation (SEND or POLL_ADD POLLOUT) are in flight; the descriptor is closed only when both have
/// completed after <see cref="Close"/>, so the kernel never sees a reused descriptor or a returned buffer.
/// Buffer parts of a response go out with SEND; file parts with non-blocking sendfile on the shard (POLL_ADD POLLOUT
/// when the socket is full), in request order.
/// </remarks>
public sealed partial class UringConnection : IKafkaConnection
{
    private readonly UringShardNetwork _network;
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly NetworkOptions _options;
    private readonly IFrameHandler _handler;
    private readonly ILogger _logger;

    // Receive state (shard thread).
    private ReceiveBuffer? _buffer;
    private int _start;
    private int _end;
    private long _sequence;
    private int _inFlight;
    private bool _receivePaused;
    private bool _receiveArmed;

    // Reorder window (shard thread): responses completed out of order wait until their predecessors are done.
    private readonly ResponseReorderWindow _reorder;

    // Responses ready to send, in order (shard thread only, so a plain ring).
    private readonly ResponseFrame?[] _outbound;
    private long _outboundHead;
    private long _outboundTail;

    private int _closedFlag;
    private bool _finalized;

    internal UringConnection(long id, int slot, Socket socket, UringShardNetwork network, NetworkOptions options,
        IFrameHandler handler, ILogger logger)
    {
        Id = id;
        Slot = slot;
        _socket = socket;
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        _network = network;
        _options = options;
        _handler = handler;
        _logger = logger;
        ShardIndex = network.ShardIndex;
        RemoteEndPoint = socket.RemoteEndPoint?.ToString() ?? "?";
        int capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, options.MaxInFlightRequestsPerConnection));
        _reorder = new ResponseReorderWindow(capacity);
        _outbound = new ResponseFrame?[capacity];
    }

    public long Id { get; }

    public string RemoteEndPoint { get; }

    /// <summary>
    /// The shard whose listener accepted the connection. The transport pins a connection there (its socket lives on
    /// that shard's ring), so a frame handler's assignment is ignored.
    /// </summary>
    public int ShardIndex
    {
        get;
        set
        {
            // Pinned: the first assignment (the constructor's) wins; later ones are a handler's round-robin choice.
            if (field < 0 || field == value)
            {
                field = value;
            }
        }
    } = -1;

    public bool IsClosed => Volatile.Read(ref _closedFlag) != 0;

    /// <summary>Index in the shard's connection table; part of every operation's user data.</summary>
    internal int Slot { get; }

    internal int Fd => _fd;

    /// <summary>Any thread, idempotent: the reason is logged once; the shard releases the descriptor later.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closedFlag, 1) != 0)
        {
            return;
        }
        _logger.LogInformation("Connection {Id} from {Remote} closed: {Reason}", Id, RemoteEndPoint, reason);
        try
        {
            // Ends the RECV/POLL in flight (the kernel completes them), so the shard can close the descriptor.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing to shut down.
        }
        catch (ObjectDisposedException)
        {
        }
        _handler.OnClosed(this, reason);
        _network.EnqueueClosed(this);
    }

    /// <summary>Called by the shard network after accepting: announce, then start reading.</summary>
    internal void Start()
    {
        _buffer = _network.Buffers.Rent(_options.ReceiveBufferBytes);
        _handler.OnConnected(this);
        ArmReceive();
    }

    /// <summary>
    /// Completes request <paramref name="sequence"/> with a response, or with none (null). Shard thread only;
    /// responses go out in sequence order.
    /// </summary>
    public void Complete(long sequence, ResponseFrame? response)
    {
        Debug.Assert(_network.IsOnShard, "Complete must run on the connection's shard");
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
            _outbound[_outboundTail & (_outbound.Length - 1)] = ready;
            _outboundTail++;
            queued = true;
        }
        if (queued && !_sendArmed)
        {
            SendNext();
        }
    }

    /// <summary>A RECV or POLLIN completion for this connection.</summary>
    internal void OnReceiveCompleted(int result, bool wasPoll)
    {
        _receiveArmed = false;
        if (IsClosed)
        {
            TryFinalize();
            return;
        }
        if (wasPoll)
        {
            ArmReceive();
            return;
        }
        if (result == -Interop.Errors.EAGAIN)
        {
            // The kernel returned "would block" instead of waiting (non-blocking socket): wait for data, then read.
            ArmPoll(UringShardNetwork.PollIn, UringShardNetwork.OpReceivePoll);
            return;
        }
        if (result == 0)
        {
            Close("peer closed the connection");
            TryFinalize();
            return;
        }
        if (result < 0)
        {
            Close($"socket error: {Interop.Errors.Describe(-result)} (errno {-result})");
            TryFinalize();
            return;
        }
        _end += result;
        ParseFrames();
        if (!_receivePaused && !IsClosed)
        {
            ArmReceive();
        }
    }

    /// <summary>Releases the descriptor and every buffer once closed and no operation is in flight (shard thread).</summary>
    internal void TryFinalize()
    {
        if (_finalized || !IsClosed || _receiveArmed || _sendArmed)
        {
            return;
        }
        _finalized = true;
        _buffer?.Release();
        _buffer = null;
        if (_current is not null)
        {
            ResponseFramePool.Return(_current);
            _current = null;
        }
        int mask = _outbound.Length - 1;
        while (_outboundHead != _outboundTail)
        {
            int slot = (int)(_outboundHead & mask);
            ResponseFramePool.Return(_outbound[slot]!);
            _outbound[slot] = null;
            _outboundHead++;
        }
        _socket.Dispose();
        _network.Remove(this);
    }

    private void ArmReceive()
    {
        Debug.Assert(!_receiveArmed && _buffer is not null);
        EnsureReceiveSpace();
        if (!_network.PrepareReceive(this, _buffer!.Array, _end, _buffer.Length - _end))
        {
            Close("network ring full");
            return;
        }
        _receiveArmed = true;
    }

    private void ArmPoll(uint events, byte op)
    {
        if (!_network.PreparePoll(this, events, op))
        {
            Close("network ring full");
            return;
        }
        if (op == UringShardNetwork.OpReceivePoll)
        {
            _receiveArmed = true;
        }
        else
        {
            _sendArmed = true;
        }
    }

    /// <summary>Makes room after <c>_end</c>: restart an empty buffer, or move a partial frame to a fresh one.</summary>
    private void EnsureReceiveSpace()
    {
        ReceiveBuffer buffer = _buffer!;
        if (_end != buffer.Length)
        {
            return;
        }
        if (_start == _end && buffer.HasSingleOwner)
        {
            _start = _end = 0;
            return;
        }
        int needed = _end - _start;
        if (needed >= 4)
        {
            needed = GrowTarget(needed, 4 + BinaryPrimitives.ReadInt32BigEndian(buffer.Array.AsSpan(_start)));
        }
        MoveTo(_network.Buffers.Rent(Math.Max(_options.ReceiveBufferBytes, needed)));
    }

    private void MoveTo(ReceiveBuffer next)
    {
        ReceiveBuffer buffer = _buffer!;
        buffer.Array.AsSpan(_start, _end - _start).CopyTo(next.Array);
        _end -= _start;
        _start = 0;
        buffer.Release();
        _buffer = next;
    }

    /// <summary>Hands every whole frame in the buffer to the handler, up to the in-flight limit.</summary>
    private void ParseFrames()
    {
        _receivePaused = false;
        while (_end - _start >= 4 && !IsClosed)
        {
            ReceiveBuffer buffer = _buffer!;
            int size = BinaryPrimitives.ReadInt32BigEndian(buffer.Array.AsSpan(_start));
            if (size < NetworkOptions.MinRequestBytes || size > _options.MaxRequestBytes)
            {
                Close($"frame size {size} outside [{NetworkOptions.MinRequestBytes}, {_options.MaxRequestBytes}] (socket.request.max.bytes)");
                return;
            }
            if (_end - _start - 4 < size)
            {
                int target = GrowTarget(_end - _start, 4 + size);
                if (4 + size > buffer.Length - _start && (_start > 0 || target > buffer.Length))
                {
                    // Will not fit: move now so the rest of the frame lands in place (or, for a frame far larger
                    // than what has arrived, into a buffer that grows with the bytes actually sent).
                    MoveTo(_network.Buffers.Rent(target));
                }
                break;
            }
            if (_inFlight >= _options.MaxInFlightRequestsPerConnection)
            {
                // Back-pressure: no RECV until a response has gone out (ReturnCredit resumes).
                _receivePaused = true;
                return;
            }
            _inFlight++;
            buffer.AddRef();
            _handler.OnFrame(this, new FrameLease(buffer, _start + 4, size, _sequence++));
            _start += 4 + size;
        }
        if (_start == _end && _buffer!.HasSingleOwner)
        {
            _start = _end = 0;
        }
    }

    /// <summary>
    /// Buffer size for a partial frame of <paramref name="frameBytes"/> (prefix included) of which
    /// <paramref name="have"/> bytes arrived: the whole frame, but at most twice what arrived (at least one receive
    /// buffer), so memory follows the bytes a client sends, not the size it announces. As in KafkaConnection.
    /// </summary>
    private int GrowTarget(int have, int frameBytes) =>
        (int)Math.Min(frameBytes, Math.Max(_options.ReceiveBufferBytes, 2L * have));

    private void ReturnCredit()
    {
        _inFlight--;
        if (_receivePaused && !IsClosed && _inFlight < _options.MaxInFlightRequestsPerConnection)
        {
            ParseFrames();
            if (!_receivePaused && !_receiveArmed && !IsClosed)
            {
                ArmReceive();
            }
        }
    }
}
