using System.Net;
using System.Net.Sockets;
using Xunit;

namespace FastMQ.Interop.Tests;

public unsafe class IoUringSocketTests
{
    private const uint PollIn = 0x1;

    [Fact]
    public void AcceptSendRecvPollClose_OverLoopbackTcp()
    {
        // Goal: the socket opcodes work on real TCP sockets. Method: ACCEPT a connection, SEND to and RECV from the peer, POLL_ADD for input, CLOSE and see EOF at the peer.
        using IoUring ring = IoUringTests.CreateRing(8);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        const int SockCloexec = 0x80000;
        Assert.True(ring.TryPrepareAccept(LoopbackPair.Fd(listener), null, null, SockCloexec, 1));
        Assert.Equal(1, ring.Submit());
        client.Connect(listener.LocalEndPoint!);
        IoUringCqe accepted = IoUringTests.SubmitAndCollect(ring, 1)[0];
        Assert.Equal(1ul, accepted.UserData);
        Assert.True(accepted.Result > 0, $"accept failed: {accepted.Result}");
        int connFd = accepted.Result;

        // SEND: bytes from the ring arrive at the client.
        byte[] outgoing = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        fixed (byte* p = outgoing)
        {
            Assert.True(ring.TryPrepareSend(connFd, p, outgoing.Length, 0, 2));
            Assert.Equal(outgoing.Length, IoUringTests.SubmitAndCollect(ring, 1)[0].Result);
        }
        Assert.Equal(outgoing, LoopbackPair.ReceiveExactly(client, outgoing.Length));

        // POLL_ADD: armed before data exists, completes with POLLIN once the client writes.
        Assert.True(ring.TryPreparePollAdd(connFd, PollIn, 3));
        Assert.Equal(1, ring.Submit());
        Assert.Equal(0, ring.CompletionsReady);
        client.Send([42, 43, 44]);
        IoUringCqe polled = IoUringTests.SubmitAndCollect(ring, 1)[0];
        Assert.Equal(3ul, polled.UserData);
        Assert.NotEqual(0, polled.Result & (int)PollIn);

        // RECV: reads what the client sent.
        byte[] incoming = new byte[16];
        fixed (byte* p = incoming)
        {
            Assert.True(ring.TryPrepareRecv(connFd, p, incoming.Length, 0, 4));
            Assert.Equal(3, IoUringTests.SubmitAndCollect(ring, 1)[0].Result);
        }
        Assert.Equal(new byte[] { 42, 43, 44 }, incoming[..3]);

        // CLOSE: the client then sees end of stream.
        Assert.True(ring.TryPrepareClose(connFd, 5));
        Assert.Equal(0, IoUringTests.SubmitAndCollect(ring, 1)[0].Result);
        Assert.Equal(0, client.Receive(new byte[1]));
    }

    [Fact]
    public void Close_OfAnInvalidDescriptor_CompletesWithNegatedEbadf()
    {
        // Goal: CLOSE reports errors through the CQE. Method: close an fd number far above any open descriptor.
        using IoUring ring = IoUringTests.CreateRing(4);
        Assert.True(ring.TryPrepareClose(1_000_000, 7));
        Assert.Equal(-Errors.EBADF, IoUringTests.SubmitAndCollect(ring, 1)[0].Result);
    }
}
