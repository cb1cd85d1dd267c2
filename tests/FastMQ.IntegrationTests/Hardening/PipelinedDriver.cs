using System;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>
/// Sends a burst of pre-built frames (produce, fetch from the start, fetch at the tail, repeated) over one blocking
/// socket and reads every response into a preallocated buffer. Only correlation ids and the tail fetch's offset are
/// rewritten in place, so a run allocates nothing: allocation measured around it belongs to the broker.
/// </summary>
public sealed class PipelinedDriver
{
    private readonly Socket _socket;
    private readonly byte[] _response = new byte[4 * 1024 * 1024];
    private readonly byte[] _frames;
    private readonly int[] _starts;
    private readonly bool[] _isProduce;
    private readonly int[] _tailOffsets;
    private readonly int _produceErrorAt;

    // tailOffsetAt: position of the fetch offset in fetchTail; produceErrorAt: position of the partition error code in a
    // produce response (after the size prefix).
    public PipelinedDriver(Socket socket, byte[] produce, byte[] fetchStart, byte[] fetchTail, int tailOffsetAt, int produceErrorAt,
        int iterations)
    {
        _socket = socket;
        _produceErrorAt = produceErrorAt;
        Requests = 3 * iterations;
        _frames = new byte[iterations * (produce.Length + fetchStart.Length + fetchTail.Length)];
        _starts = new int[Requests];
        _isProduce = new bool[Requests];
        _tailOffsets = new int[iterations];
        int at = 0;
        for (int i = 0; i < iterations; i++)
        {
            byte[][] three = [produce, fetchStart, fetchTail];
            for (int j = 0; j < 3; j++)
            {
                int k = (3 * i) + j;
                _starts[k] = at;
                _isProduce[k] = j == 0;
                if (j == 2)
                {
                    _tailOffsets[i] = at + tailOffsetAt;
                }
                three[j].CopyTo(_frames, at);
                at += three[j].Length;
            }
        }
    }

    /// <summary>Requests per <see cref="Run"/>.</summary>
    public int Requests { get; }

    public int NextCorrelationId { get; set; } = 100;

    /// <summary>Base offset of the last acknowledged produce (the tail fetches read from here).</summary>
    public long LastBaseOffset { get; private set; }

    public void Run()
    {
        int first = NextCorrelationId;
        for (int k = 0; k < Requests; k++)
        {
            // Frame: size (4), api key (2), version (2), correlation id (4).
            BinaryPrimitives.WriteInt32BigEndian(_frames.AsSpan(_starts[k] + 8), first + k);
        }
        foreach (int at in _tailOffsets)
        {
            BinaryPrimitives.WriteInt64BigEndian(_frames.AsSpan(at), LastBaseOffset);
        }
        NextCorrelationId = first + Requests;
        int sent = 0;
        while (sent < _frames.Length)
        {
            sent += _socket.Send(_frames.AsSpan(sent));
        }
        for (int k = 0; k < Requests; k++)
        {
            ReceiveExactly(_response.AsSpan(0, 4));
            int length = BinaryPrimitives.ReadInt32BigEndian(_response);
            if (length < 4 || length > _response.Length)
            {
                throw new InvalidOperationException($"response size {length}");
            }
            ReceiveExactly(_response.AsSpan(0, length));
            if (BinaryPrimitives.ReadInt32BigEndian(_response) != first + k)
            {
                throw new InvalidOperationException("response out of order");
            }
            if (_isProduce[k])
            {
                short error = BinaryPrimitives.ReadInt16BigEndian(_response.AsSpan(_produceErrorAt));
                if (error != 0 || length < _produceErrorAt + 10)
                {
                    throw new InvalidOperationException($"produce failed with error {error}");
                }
                LastBaseOffset = BinaryPrimitives.ReadInt64BigEndian(_response.AsSpan(_produceErrorAt + 2));
            }
        }
    }

    private void ReceiveExactly(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int n = _socket.Receive(destination);
            if (n == 0)
            {
                throw new InvalidOperationException("broker closed the connection");
            }
            destination = destination[n..];
        }
    }
}
