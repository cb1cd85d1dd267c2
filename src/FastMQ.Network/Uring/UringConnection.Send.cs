namespace FastMQ.Network.Uring;

/// <summary>
/// The send half: a cursor over the queued responses. Buffer pieces go out as one SEND each; file parts with
/// non-blocking sendfile right here on the shard, falling back to POLL_ADD POLLOUT when the socket is full.
/// </summary>
public sealed partial class UringConnection
{
    // Send cursor (shard thread). Segment 2k is the buffer piece before file part k (or the buffer's tail when
    // k == count); 2k+1 is file part k, as in KafkaConnection.
    private ResponseFrame? _current;
    private int _segment;
    private long _segmentOffset;
    private bool _sendArmed;

    private int SegmentCount => (2 * _current!.FilePartCount) + 1;

    /// <summary>A SEND or POLLOUT completion for this connection.</summary>
    internal void OnSendCompleted(int result, bool wasPoll)
    {
        _sendArmed = false;
        if (IsClosed)
        {
            TryFinalize();
            return;
        }
        if (!wasPoll)
        {
            if (result == -Interop.Errors.EAGAIN)
            {
                ArmPoll(UringShardNetwork.PollOut, UringShardNetwork.OpSendPoll);
                return;
            }
            if (result < 0)
            {
                Close($"send failed: {Interop.Errors.Describe(-result)} (errno {-result})");
                TryFinalize();
                return;
            }
            _segmentOffset += result;
        }
        SendNext();
        if (IsClosed)
        {
            TryFinalize();
        }
    }

    /// <summary>Advances the cursor until an operation is in flight or nothing is left to send.</summary>
    private void SendNext()
    {
        while (!IsClosed && TryTakeNext())
        {
            while (_segment < SegmentCount)
            {
                if ((_segment & 1) == 0)
                {
                    (int start, int end) = BufferPiece(_segment / 2);
                    long remaining = end - start - _segmentOffset;
                    if (remaining > 0)
                    {
                        if (!_network.PrepareSend(this, _current!.Buffer, start + (int)_segmentOffset, (int)remaining))
                        {
                            Close("network ring full");
                            return;
                        }
                        _sendArmed = true;
                        return;
                    }
                }
                else
                {
                    ResponseFrame.FilePart part = _current!.GetFilePart(_segment / 2);
                    long remaining = part.Length - _segmentOffset;
                    if (remaining > 0)
                    {
                        long r = FileSender.SendFile(_fd, part.Fd, part.FileOffset + _segmentOffset, (int)remaining);
                        if (r == -FileSender.EAGAIN)
                        {
                            ArmPoll(UringShardNetwork.PollOut, UringShardNetwork.OpSendPoll);
                            return;
                        }
                        if (r <= 0)
                        {
                            Close($"sendfile failed: errno {-r}");
                            return;
                        }
                        _segmentOffset += r;
                        continue;
                    }
                }
                _segment++;
                _segmentOffset = 0;
            }
            ResponseFramePool.Return(_current!);
            _current = null;
            ReturnCredit();
        }
    }

    private bool TryTakeNext()
    {
        if (_current is not null)
        {
            return true;
        }
        if (_outboundHead == _outboundTail)
        {
            return false;
        }
        int slot = (int)(_outboundHead & (_outbound.Length - 1));
        _current = _outbound[slot];
        _outbound[slot] = null;
        _outboundHead++;
        _segment = 0;
        _segmentOffset = 0;
        return true;
    }

    private (int Start, int End) BufferPiece(int k)
    {
        ResponseFrame f = _current!;
        int start = k == 0 ? 0 : f.GetFilePart(k - 1).BufferPosition;
        int end = k == f.FilePartCount ? f.BufferLength : f.GetFilePart(k).BufferPosition;
        return (start, end);
    }
}
