using System;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using FastMQ.Interop;
using FastMQ.Runtime;
using Microsoft.Extensions.Logging;

namespace FastMQ.Network.Uring;

/// <summary>
/// One shard's network: its own listening socket (SO_REUSEPORT, so the kernel spreads connections over the shards),
/// its own io_uring carrying ACCEPT, RECV, SEND and POLL_ADD for every connection it accepted, polled as an
/// <see cref="IShardWorkSource"/>.
/// </summary>
/// <remarks>
/// Threads: the ring and the connection table belong to the shard's thread. Other threads only publish the listening
/// socket (<see cref="Listen"/>), ask to stop accepting, and queue closed connections (<see cref="EnqueueClosed"/>).
/// A turn reaps completions, dispatches them, then submits everything prepared since the last turn (including SENDs
/// prepared by responses completed in the mailbox) with one io_uring_enter. User data = slot &lt;&lt; 8 | operation.
/// Steady state allocates nothing: completions are copied into a preallocated array; accepting and closing allocate.
/// </remarks>
public sealed unsafe class UringShardNetwork : IShardWorkSource, IShardWakeSignal, IDisposable
{
    internal const byte OpAccept = 1;
    internal const byte OpReceive = 2;
    internal const byte OpReceivePoll = 3;
    internal const byte OpSend = 4;
    internal const byte OpSendPoll = 5;
    internal const byte OpWake = 6;
    internal const uint PollIn = 0x1;
    internal const uint PollOut = 0x4;

    private const int SockNonBlock = 0x800;
    private const int SockCloexec = 0x80000;
    private const int AcceptSlot = 0;
    private const uint IoringEnterGetEvents = 1u << 0;
    private const uint IoringEnterExtArg = 1u << 3;
    private const long SysIoUringEnter = 426;
    private const int ETime = 62;
    private const int MsgNoSignal = 0x4000;

    private readonly IoUring _ring;
    private readonly NetworkOptions _options;
    private readonly ILogger _logger;
    private readonly IoUringCqe[] _completions = new IoUringCqe[256];
    private readonly ConcurrentQueue<UringConnection> _closed = new();
    // The shard's wake line: a READ of this eventfd stays armed on the ring, so a mailbox post (or a completion on a
    // ring that registered the eventfd) ends the idle wait at once. The 8-byte target lives on the pinned heap.
    private readonly byte[] _wakeBuffer = GC.AllocateArray<byte>(8, pinned: true);
    private EventFd? _wakeFd;
    private bool _wakeArmed;

    // Slot 0 is the listener; connections use 1..n. Free slots are reused (stack).
    private UringConnection?[] _connections = new UringConnection?[64];
    private int[] _freeSlots = new int[64];
    private int _freeCount;
    private int _nextSlot = 1;

    private Socket? _listener;
    private IFrameHandler? _handler;
    private Func<long>? _nextConnectionId;
    private bool _acceptArmed;
    private int _stopAccepting;
    private int _threadId = -1;

    internal UringShardNetwork(int shardIndex, IoUring ring, NetworkOptions options, ReceiveBufferPool buffers, ILogger logger)
    {
        ShardIndex = shardIndex;
        _ring = ring;
        _options = options;
        Buffers = buffers;
        _logger = logger;
    }

    public string Name => "network";

    public int ShardIndex { get; }

    /// <summary>Open connections (shard thread's view; for tests and diagnostics).</summary>
    public int ConnectionCount { get; private set; }

    internal ReceiveBufferPool Buffers { get; }

    internal bool IsOnShard => _threadId == Environment.CurrentManagedThreadId;

    /// <summary>Publishes the listening socket; the shard arms ACCEPT on its next turn. Any thread, once.</summary>
    internal void Listen(Socket listener, IFrameHandler handler, Func<long> nextConnectionId)
    {
        _handler = handler;
        _nextConnectionId = nextConnectionId;
        // Release: the handler and id source are visible to the shard before it sees the socket.
        Volatile.Write(ref _listener, listener);
    }

    /// <summary>Stops accepting: the pending ACCEPT ends with an error and is not re-armed. Any thread.</summary>
    internal void StopAccepting()
    {
        Volatile.Write(ref _stopAccepting, 1);
        try
        {
            // shutdown on a listening socket wakes the ACCEPT in flight (the ring holds its own file reference, so
            // closing the descriptor alone would keep the port listening).
            Volatile.Read(ref _listener)?.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    internal void EnqueueClosed(UringConnection connection) => _closed.Enqueue(connection);

    /// <summary>
    /// Creates the shard's eventfd and installs this network as the shard's wake signal, so the idle wait in
    /// <see cref="WaitForCompletions"/> ends when another thread posts to the shard. Before the shard starts; once.
    /// </summary>
    internal void EnableWake(Shard shard)
    {
        _wakeFd = EventFd.Create();
        shard.SetWakeSignal(this);
    }

    /// <summary>The eventfd that wakes this shard (for rings of the same shard to register), or -1 without one.</summary>
    public int WakeEventFd => _wakeFd?.Fd ?? -1;

    /// <summary>Wakes the shard out of its ring wait (an eventfd write). Any thread.</summary>
    public void Signal() => _wakeFd?.Signal();

    public int DoWork(Shard shard, long nowNs)
    {
        _threadId = Environment.CurrentManagedThreadId;
        int work = 0;
        if (!_acceptArmed && Volatile.Read(ref _stopAccepting) == 0 && Volatile.Read(ref _listener) is { } listener)
        {
            ArmAccept(listener);
        }
        while (_closed.TryDequeue(out UringConnection? c))
        {
            c.TryFinalize();
            work++;
        }
        int n;
        do
        {
            n = _ring.Reap(_completions);
            for (int i = 0; i < n; i++)
            {
                Dispatch(in _completions[i]);
            }
            work += n;
        }
        while (n == _completions.Length);
        if (!_wakeArmed && _wakeFd is { } wake)
        {
            _wakeArmed = _ring.TryPrepareRead(wake.Fd, At(_wakeBuffer, 0), sizeof(ulong), -1, UserData(AcceptSlot, OpWake));
        }
        if (_ring.PendingSubmissions > 0)
        {
            _ = _ring.Submit();
        }
        return work;
    }

    /// <summary>
    /// The idle wait: submits what is prepared, then sleeps in io_uring_enter until a network completion arrives or
    /// <paramref name="timeoutNs"/> passes (IORING_ENTER_EXT_ARG, Linux 5.11+). Shard thread only.
    /// </summary>
    internal void WaitForCompletions(long timeoutNs)
    {
        if (_ring.PendingSubmissions > 0)
        {
            _ = _ring.Submit();
        }
        if (_ring.CompletionsReady > 0)
        {
            return;
        }
        KernelTimespec ts = new() { Seconds = timeoutNs / 1_000_000_000, Nanoseconds = timeoutNs % 1_000_000_000 };
        GetEventsArg arg = new() { Timespec = (ulong)&ts };
        long r = Interop.Interop.Sys.Syscall(SysIoUringEnter, _ring.RingFd, 0, 1, (nint)(IoringEnterGetEvents | IoringEnterExtArg),
            (nint)(&arg), sizeof(GetEventsArg));
        if (r < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is not (ETime or Errors.EINTR or Errors.EAGAIN or Errors.EBUSY))
            {
                InteropThrowHelper.NativeIO("io_uring_enter(GETEVENTS, timeout)", errno);
            }
        }
    }

    internal bool PrepareReceive(UringConnection c, byte[] buffer, int offset, int length)
    {
        byte* p = At(buffer, offset);
        ulong userData = UserData(c.Slot, OpReceive);
        if (_ring.TryPrepareRecv(c.Fd, p, length, 0, userData))
        {
            return true;
        }
        // SQ full: hand what is queued to the kernel, which frees the slots, then try once more.
        _ = _ring.Submit();
        return _ring.TryPrepareRecv(c.Fd, p, length, 0, userData);
    }

    internal bool PrepareSend(UringConnection c, byte[] buffer, int offset, int length)
    {
        byte* p = At(buffer, offset);
        ulong userData = UserData(c.Slot, OpSend);
        // MSG_NOSIGNAL: a peer that went away gives EPIPE, not a SIGPIPE for the process.
        if (_ring.TryPrepareSend(c.Fd, p, length, MsgNoSignal, userData))
        {
            return true;
        }
        _ = _ring.Submit();
        return _ring.TryPrepareSend(c.Fd, p, length, MsgNoSignal, userData);
    }

    internal bool PreparePoll(UringConnection c, uint events, byte op)
    {
        ulong userData = UserData(c.Slot, op);
        if (_ring.TryPreparePollAdd(c.Fd, events, userData))
        {
            return true;
        }
        _ = _ring.Submit();
        return _ring.TryPreparePollAdd(c.Fd, events, userData);
    }

    /// <summary>Frees a finalized connection's slot (shard thread).</summary>
    internal void Remove(UringConnection c)
    {
        _connections[c.Slot] = null;
        if (_freeCount == _freeSlots.Length)
        {
            Array.Resize(ref _freeSlots, _freeSlots.Length * 2);
        }
        _freeSlots[_freeCount++] = c.Slot;
        ConnectionCount--;
    }

    /// <summary>Releases the listening socket and the ring; only after the shard stopped polling.</summary>
    public void Dispose()
    {
        Volatile.Read(ref _listener)?.Dispose();
        _ring.Dispose();
        _wakeFd?.Dispose();
    }

    private void ArmAccept(Socket listener)
    {
        if (_ring.TryPrepareAccept((int)listener.SafeHandle.DangerousGetHandle(), null, null, SockNonBlock | SockCloexec, UserData(AcceptSlot, OpAccept)))
        {
            _acceptArmed = true;
        }
    }

    private void Dispatch(in IoUringCqe cqe)
    {
        int slot = (int)(cqe.UserData >> 8);
        byte op = (byte)cqe.UserData;
        if (op == OpAccept)
        {
            OnAccepted(cqe.Result);
            return;
        }
        if (op == OpWake)
        {
            // Success: the counter was read (and so reset); the READ is re-armed before this turn's submit. Any other
            // error (the eventfd closed at shutdown) leaves it unarmed for good: the idle wait then ends on its
            // timeout, as it would without a wake line.
            int result = cqe.Result;
            _wakeArmed = result < 0 && result != -Errors.EAGAIN && result != -Errors.EINTR;
            if (_wakeArmed)
            {
                _logger.LogDebug("Wake read on shard {Shard} ended: {Error}", ShardIndex, Errors.Describe(-result));
            }
            return;
        }
        UringConnection? c = (uint)slot < (uint)_connections.Length ? _connections[slot] : null;
        if (c is null)
        {
            _logger.LogError("Network completion {Cqe} names no connection on shard {Shard}", cqe.ToString(), ShardIndex);
            return;
        }
        switch (op)
        {
            case OpReceive:
                c.OnReceiveCompleted(cqe.Result, wasPoll: false);
                break;
            case OpReceivePoll:
                c.OnReceiveCompleted(cqe.Result, wasPoll: true);
                break;
            case OpSend:
                c.OnSendCompleted(cqe.Result, wasPoll: false);
                break;
            case OpSendPoll:
                c.OnSendCompleted(cqe.Result, wasPoll: true);
                break;
            default:
                _logger.LogError("Unknown network operation {Op} on shard {Shard}", op, ShardIndex);
                break;
        }
    }

    private void OnAccepted(int result)
    {
        _acceptArmed = false;
        Socket listener = Volatile.Read(ref _listener)!;
        if (Volatile.Read(ref _stopAccepting) != 0)
        {
            if (result >= 0)
            {
                _ = Interop.Interop.Sys.Close(result);
            }
            return;
        }
        if (result < 0)
        {
            _logger.LogWarning("Accept on shard {Shard} failed: {Error}", ShardIndex, Errors.Describe(-result));
            ArmAccept(listener);
            return;
        }
        ArmAccept(listener);
        Socket socket;
        try
        {
            socket = new Socket(new SafeSocketHandle(result, ownsHandle: true));
            socket.NoDelay = true;
        }
        catch (SocketException e)
        {
            _logger.LogWarning("Accepted connection on shard {Shard} unusable: {Error}", ShardIndex, e.SocketErrorCode);
            return;
        }
        int slot = _freeCount > 0 ? _freeSlots[--_freeCount] : _nextSlot++;
        if (slot >= _connections.Length)
        {
            Array.Resize(ref _connections, _connections.Length * 2);
        }
        var connection = new UringConnection(_nextConnectionId!(), slot, socket, this, _options, _handler!, _logger);
        _connections[slot] = connection;
        ConnectionCount++;
        connection.Start();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* At(byte[] pinnedArray, int offset) =>
        // The receive and response buffers live on the pinned object heap, so their address is stable.
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinnedArray)) + offset;

    private static ulong UserData(int slot, byte op) => ((ulong)(uint)slot << 8) | op;

    private struct KernelTimespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // struct io_uring_getevents_arg: sigmask, sigmask_sz, min_wait_usec (pad before 6.12), ts.
    private struct GetEventsArg
    {
        public ulong SigMask;
        public uint SigMaskSize;
        public uint MinWaitUs;
        public ulong Timespec;
    }
}
