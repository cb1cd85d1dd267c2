using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Primitives;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>
/// A bare Kafka connection over a blocking socket: sends raw bytes or whole frames and reads size-prefixed response
/// frames, so tests control every byte on the wire (unlike a real client, which refuses to send garbage).
/// </summary>
public sealed class RawKafkaConnection : IDisposable
{
    private readonly Socket _socket;

    public RawKafkaConnection(int port, int receiveTimeoutMs = 10_000)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(System.Net.IPAddress.Loopback, port);
        _socket.ReceiveTimeout = receiveTimeoutMs;
        _socket.SendTimeout = 10_000;
    }

    public Socket Socket => _socket;

    /// <summary>Sends every byte; false when the broker has already closed the connection.</summary>
    public bool TrySend(ReadOnlySpan<byte> bytes)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                int n = _socket.Send(bytes);
                bytes = bytes[n..];
            }
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        if (!TrySend(bytes))
        {
            throw new InvalidOperationException("the broker closed the connection while the test was sending");
        }
    }

    /// <summary>Reads one response frame and returns its bytes after the size prefix (header + body).</summary>
    public byte[] ReceiveFrame()
    {
        Span<byte> size = stackalloc byte[4];
        ReadExactly(size);
        int length = BinaryPrimitives.ReadInt32BigEndian(size);
        if (length < 4 || length > 64 * 1024 * 1024)
        {
            throw new InvalidOperationException($"response frame size {length} is not plausible");
        }
        byte[] frame = new byte[length];
        ReadExactly(frame);
        return frame;
    }

    /// <summary>Sends a request frame and returns the response's body reader position after the header.</summary>
    public byte[] RoundTrip(byte[] request)
    {
        Send(request);
        return ReceiveFrame();
    }

    /// <summary>
    /// Waits for the broker to close the connection (EOF or reset), discarding any bytes it still sends. Returns the
    /// time it took, or null when the connection was still open after <paramref name="timeoutMs"/>.
    /// </summary>
    public TimeSpan? WaitForClose(int timeoutMs)
    {
        var sw = Stopwatch.StartNew();
        byte[] sink = new byte[4096];
        while (sw.ElapsedMilliseconds < timeoutMs)
        {
            int remaining = (int)Math.Max(1, timeoutMs - sw.ElapsedMilliseconds);
            if (!_socket.Poll(remaining * 1000, SelectMode.SelectRead))
            {
                continue;
            }
            try
            {
                if (_socket.Receive(sink) == 0)
                {
                    return sw.Elapsed;
                }
            }
            catch (SocketException)
            {
                return sw.Elapsed;
            }
        }
        return null;
    }

    public void Dispose() => _socket.Dispose();

    private void ReadExactly(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int n = _socket.Receive(destination);
            if (n == 0)
            {
                throw new InvalidOperationException("the broker closed the connection before a whole response arrived");
            }
            destination = destination[n..];
        }
    }

    /// <summary>Reads the response header (correlation id) of <paramref name="frame"/> and returns a reader on the body.</summary>
    public static int ReadHeader(byte[] frame, ApiKey key, short version, out int bodyOffset)
    {
        // ApiVersions responses always use header v0 so that any client can read the fallback.
        bool flexible = key != ApiKey.ApiVersions && ApiVersionsTable.Default.TryGet(key, out ApiVersionRange range) && range.IsFlexible(version);
        var reader = new KafkaReader(frame);
        int correlationId = ResponseHeader.Read(ref reader, flexible);
        bodyOffset = reader.Position;
        return correlationId;
    }
}
