using System;
using System.Net;
using System.Net.Sockets;

namespace FastMQ.Interop.Tests;

/// <summary>A connected TCP pair over 127.0.0.1: <see cref="Server"/> accepted from <see cref="Client"/>. Blocking sockets.</summary>
internal sealed class LoopbackPair : IDisposable
{
    public LoopbackPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        Client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Client.Connect(listener.LocalEndPoint!);
        Server = listener.Accept();
    }

    public Socket Client { get; }

    public Socket Server { get; }

    public static int Fd(Socket socket) => (int)socket.Handle;

    /// <summary>Reads exactly <paramref name="count"/> bytes from <paramref name="socket"/>.</summary>
    public static byte[] ReceiveExactly(Socket socket, int count)
    {
        var data = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = socket.Receive(data, got, count - got, SocketFlags.None);
            if (n == 0)
            {
                throw new InvalidOperationException($"peer closed after {got} of {count} bytes");
            }
            got += n;
        }
        return data;
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
