using System;
using System.Buffers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace FastMQ.Network;

/// <summary>The send half: a cursor over the queued responses, advanced without blocking by the shard or by the pump.</summary>
public sealed partial class KafkaConnection
{
    private enum SendProgress
    {
        Drained,
        WouldBlock,
        Failed,
    }

    private void TrySendFromShard()
    {
        while (Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
        {
            SendProgress progress = SendWithoutBlocking();
            if (progress == SendProgress.WouldBlock)
            {
                // Keep _sending: the pump continues from the cursor on the thread pool.
                ThreadPool.UnsafeQueueUserWorkItem(static c => _ = c.PumpAsync(), this, preferLocal: false);
                return;
            }
            Volatile.Write(ref _sending, 0);
            if (progress == SendProgress.Failed || Volatile.Read(ref _outboundTail) == Volatile.Read(ref _outboundHead))
            {
                return;
            }
            // A response was queued after the drain finished and before the flag was cleared: go round again.
        }
    }

    private bool TryTakeNext()
    {
        if (_current is not null)
        {
            return true;
        }
        long head = _outboundHead;
        if (head == Volatile.Read(ref _outboundTail))
        {
            return false;
        }
        int slot = (int)(head & (_outbound.Length - 1));
        _current = _outbound[slot];
        _outbound[slot] = null;
        Volatile.Write(ref _outboundHead, head + 1);
        _segment = 0;
        _segmentOffset = 0;
        return true;
    }

    private void FinishCurrent()
    {
        ResponseFramePool.Return(_current!);
        _current = null;
        ReturnCredit();
    }

    // Segment 2k is the buffer piece before file part k (or the buffer's tail when k == count); 2k+1 is file part k.
    private int SegmentCount => (2 * _current!.FilePartCount) + 1;

    private (int Start, int End) BufferPiece(int k)
    {
        ResponseFrame f = _current!;
        int start = k == 0 ? 0 : f.GetFilePart(k - 1).BufferPosition;
        int end = k == f.FilePartCount ? f.BufferLength : f.GetFilePart(k).BufferPosition;
        return (start, end);
    }

    private SendProgress SendWithoutBlocking()
    {
        try
        {
            while (!IsClosed && TryTakeNext())
            {
                while (_segment < SegmentCount)
                {
                    long remaining;
                    int sent;
                    if ((_segment & 1) == 0)
                    {
                        (int start, int end) = BufferPiece(_segment / 2);
                        remaining = end - start - _segmentOffset;
                        if (remaining > 0)
                        {
                            sent = _socket.Send(_current!.Buffer.AsSpan(start + (int)_segmentOffset, (int)remaining), SocketFlags.None, out SocketError error);
                            if (error == SocketError.WouldBlock)
                            {
                                return SendProgress.WouldBlock;
                            }
                            if (error != SocketError.Success)
                            {
                                Close($"send failed: {error}");
                                return SendProgress.Failed;
                            }
                            _segmentOffset += sent;
                            if (sent < remaining)
                            {
                                continue;
                            }
                        }
                    }
                    else
                    {
                        ref readonly ResponseFrame.FilePart part = ref _current!.GetFilePart(_segment / 2);
                        remaining = part.Length - _segmentOffset;
                        if (remaining > 0)
                        {
                            long r = FileSender.SendFile(SocketFd, part.Fd, part.FileOffset + _segmentOffset, (int)remaining);
                            if (r == -FileSender.EAGAIN)
                            {
                                return SendProgress.WouldBlock;
                            }
                            if (r <= 0)
                            {
                                Close($"sendfile failed: errno {-r}");
                                return SendProgress.Failed;
                            }
                            _segmentOffset += r;
                            if (r < remaining)
                            {
                                continue;
                            }
                        }
                    }
                    _segment++;
                    _segmentOffset = 0;
                }
                FinishCurrent();
            }
            return SendProgress.Drained;
        }
        catch (ObjectDisposedException)
        {
            return SendProgress.Failed;
        }
    }

    /// <summary>Continues sending with awaits after the socket would have blocked; releases ownership when drained.</summary>
    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                while (!IsClosed && TryTakeNext())
                {
                    while (_segment < SegmentCount)
                    {
                        if ((_segment & 1) == 0)
                        {
                            (int start, int end) = BufferPiece(_segment / 2);
                            int from = start + (int)_segmentOffset;
                            if (end > from)
                            {
                                await _socket.SendAsync(_current!.Buffer.AsMemory(from, end - from), SocketFlags.None, _closed.Token).ConfigureAwait(false);
                            }
                        }
                        else
                        {
                            await SendFilePartAsync(_current!.GetFilePart(_segment / 2), _segmentOffset).ConfigureAwait(false);
                        }
                        _segment++;
                        _segmentOffset = 0;
                    }
                    FinishCurrent();
                }
                Volatile.Write(ref _sending, 0);
                if (IsClosed
                    || Volatile.Read(ref _outboundTail) == Volatile.Read(ref _outboundHead)
                    || Interlocked.CompareExchange(ref _sending, 1, 0) != 0)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Volatile.Write(ref _sending, 0);
            Close($"send failed: {e.Message}");
        }
        catch (Exception e)
        {
            Volatile.Write(ref _sending, 0);
            _logger.LogError(e, "Connection {Id}: send pump failed", Id);
            Close($"send failed: {e.GetType().Name}");
        }
    }

    // Slow path only (the socket was full): copies the file range through a rented buffer with awaited sends.
    private async Task SendFilePartAsync(ResponseFrame.FilePart part, long alreadySent)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            long offset = part.FileOffset + alreadySent;
            long left = part.Length - alreadySent;
            while (left > 0)
            {
                int want = (int)Math.Min(left, chunk.Length);
                int got = FileSender.ReadAt(part.Fd, chunk.AsSpan(0, want), offset);
                if (got <= 0)
                {
                    throw new SocketException((int)SocketError.NoData);
                }
                await _socket.SendAsync(chunk.AsMemory(0, got), SocketFlags.None, _closed.Token).ConfigureAwait(false);
                offset += got;
                left -= got;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
