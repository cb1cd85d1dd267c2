using System;
using System.Threading;
using Xunit;

namespace FastMQ.Interop.Tests;

public sealed unsafe class EventFdTests
{
    [Fact]
    public void Signal_CompletesAReadArmedOnARing()
    {
        // Goal: a shard's wake line works: a READ armed on the eventfd stays pending until another thread signals.
        // Method: arm the READ, check no completion after 50 ms, signal from another thread, wait for the CQE (8 bytes, value 1).
        using IoUring ring = IoUringTests.CreateRing();
        using EventFd wake = EventFd.Create();
        byte[] target = GC.AllocateArray<byte>(8, pinned: true);
        fixed (byte* p = target)
        {
            Assert.True(ring.TryPrepareRead(wake.Fd, p, 8, -1, 42));
            Assert.Equal(1, ring.Submit());
            Thread.Sleep(50);
            Assert.Equal(0, ring.CompletionsReady);
            var signaller = new Thread(wake.Signal);
            signaller.Start();
            IoUringCqe[] cqes = IoUringTests.SubmitAndCollect(ring, 1);
            signaller.Join();
            Assert.Equal(42ul, cqes[0].UserData);
            Assert.Equal(8, cqes[0].Result);
            Assert.Equal(1ul, BitConverter.ToUInt64(target));
        }
    }

    [Fact]
    public void RegisteredEventFd_IsSignalledByCompletionsOfAnotherRing()
    {
        // Goal: one wait covers two rings (network + storage): a completion on ring B ends a READ of B's registered
        // eventfd armed on ring A. Method: register the eventfd with B, arm the READ on A, complete a NOP on B.
        using IoUring a = IoUringTests.CreateRing();
        using IoUring b = IoUringTests.CreateRing();
        using EventFd wake = EventFd.Create();
        b.RegisterEventFd(wake.Fd);
        byte[] target = GC.AllocateArray<byte>(8, pinned: true);
        fixed (byte* p = target)
        {
            Assert.True(a.TryPrepareRead(wake.Fd, p, 8, -1, 7));
            Assert.Equal(1, a.Submit());
            Thread.Sleep(20);
            Assert.Equal(0, a.CompletionsReady);
            Assert.True(b.TryPrepareNop(9));
            _ = IoUringTests.SubmitAndCollect(b, 1);
            IoUringCqe[] cqes = IoUringTests.SubmitAndCollect(a, 1);
            Assert.Equal(7ul, cqes[0].UserData);
            Assert.Equal(8, cqes[0].Result);
            Assert.True(BitConverter.ToUInt64(target) >= 1);
        }
        b.UnregisterEventFd();
    }

    [Fact]
    public void Signal_AfterDispose_DoesNothing()
    {
        // Goal: a late wake from another shard during shutdown is harmless. Method: dispose, then signal twice.
        EventFd wake = EventFd.Create();
        Assert.True(wake.Fd >= 0);
        wake.Dispose();
        Assert.Equal(-1, wake.Fd);
        wake.Signal();
        wake.Dispose();
    }
}
