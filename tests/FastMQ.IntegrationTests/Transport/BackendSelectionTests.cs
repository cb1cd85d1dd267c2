using System;
using System.Buffers.Binary;
using FastMQ.IntegrationTests.Hardening;
using Xunit;

namespace FastMQ.IntegrationTests.Transport;

/// <summary>fastmq.network.backend picks the transport: io_uring by default on this host, sockets when asked.</summary>
public sealed class BackendSelectionTests
{
    // Goal: with no setting the broker runs the io_uring transport (io_uring works on this host). Method: start a
    // broker without the setting, check the start-up log names the transport, and answer an ApiVersions request.
    [Fact]
    public void Default_IsIoUring()
    {
        using var broker = new BrokerProcess(["--fastmq.shards=2"]);
        Assert.Contains("io_uring transport", broker.Output, StringComparison.Ordinal);
        AssertAnswers(broker, 11);
    }

    // Goal: sockets stays selectable and works. Method: start with fastmq.network.backend=sockets, check the io_uring
    // transport did not start, then answer 100 pipelined ApiVersions requests in order.
    [Fact]
    public void Sockets_WhenAsked()
    {
        using var broker = new BrokerProcess(["--fastmq.shards=2", "--fastmq.network.backend=sockets"]);
        Assert.DoesNotContain("io_uring transport", broker.Output, StringComparison.Ordinal);
        AssertAnswers(broker, 100);
    }

    // Goal: a value other than sockets or io_uring stops start-up with a message naming the setting. Method: start
    // with fastmq.network.backend=epoll and expect the start to fail with that message.
    [Fact]
    public void UnknownBackend_FailsStartup()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new BrokerProcess(["--fastmq.network.backend=epoll"]));
        Assert.Contains("fastmq.network.backend", e.Message, StringComparison.Ordinal);
    }

    // Goal: SO_REUSEPORT does not let a second broker share a port that one already serves. Method: start a broker,
    // start another on the same port (own data directory); the second must fail to start, the first keep answering.
    [Fact]
    public void SecondBrokerOnSamePort_FailsToStart()
    {
        using var first = new BrokerProcess(["--fastmq.shards=2"]);
        var e = Assert.Throws<InvalidOperationException>(() => new BrokerProcess(["--fastmq.shards=2"], port: first.Port));
        Assert.Contains("exited", e.Message, StringComparison.Ordinal);
        AssertAnswers(first, 10);
    }

    // Goal: the sockets backend refuses a shared port too (.NET's ReuseAddress would also set SO_REUSEPORT). Method: as
    // above, with fastmq.network.backend=sockets for both brokers.
    [Fact]
    public void SecondSocketsBrokerOnSamePort_FailsToStart()
    {
        using var first = new BrokerProcess(["--fastmq.network.backend=sockets"]);
        var e = Assert.Throws<InvalidOperationException>(() => new BrokerProcess(["--fastmq.network.backend=sockets"], port: first.Port));
        Assert.Contains("exited", e.Message, StringComparison.Ordinal);
        AssertAnswers(first, 10);
    }

    private static void AssertAnswers(BrokerProcess broker, int requests)
    {
        using var c = new RawKafkaConnection(broker.Port);
        var all = new System.Collections.Generic.List<byte>();
        for (int i = 0; i < requests; i++)
        {
            all.AddRange(KafkaRequests.ApiVersions(3, i));
        }
        c.Send(all.ToArray());
        for (int i = 0; i < requests; i++)
        {
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(c.ReceiveFrame()));
        }
    }
}
