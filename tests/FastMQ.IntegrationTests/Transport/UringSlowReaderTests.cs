using System;
using System.Collections.Generic;
using System.Threading;
using FastMQ.IntegrationTests.Hardening;
using FastMQ.Protocol.Messages;
using Xunit;

namespace FastMQ.IntegrationTests.Transport;

/// <summary>Zero-copy fetch responses (sendfile file parts) on the io_uring transport reach a client that reads slowly.</summary>
public sealed class UringSlowReaderTests
{
    // Goal: a fetch response far larger than the socket buffers, served from segment files with sendfile, arrives
    // whole and in order when the client does not read for a while (sendfile hits EAGAIN; the shard waits for POLLOUT
    // and continues). Method: produce six 900 KiB records, restart the broker so they are read from files, send one
    // Fetch for all of them from a connection with a 32 KiB receive buffer, sleep 1 s, then read and compare.
    [Fact]
    public void LargeFileBackedFetch_ToSlowReader_ArrivesWhole()
    {
        using var broker = new BrokerProcess(["--fastmq.shards=2", UringTransportTests.Backend]);
        var values = new List<byte[]>();
        using (var p = new RawKafkaConnection(broker.Port))
        {
            Assert.Equal(ErrorCode.None, KafkaRequests.ReadCreateTopics(p.RoundTrip(KafkaRequests.CreateTopics(7, 1, "slow", 1)), 7, 1).Topics[0].ErrorCode);
            for (int i = 0; i < 6; i++)
            {
                byte[] value = new byte[900 * 1024];
                new Random(i).NextBytes(value);
                values.Add(value);
                byte[] response = p.RoundTrip(KafkaRequests.Produce(9, 10 + i, "slow", 0, KafkaRequests.Batch([value]), acks: 1));
                Assert.Equal(ErrorCode.None, KafkaRequests.ReadProduce(response, 9, 10 + i).Topics[0].Partitions[0].ErrorCode);
            }
        }
        Assert.Equal(0, broker.StopGracefully());
        broker.Start();

        using var c = new RawKafkaConnection(broker.Port);
        c.Socket.ReceiveBufferSize = 32 * 1024;
        c.Send(KafkaRequests.Fetch(11, 99, "slow", 0, 0, partitionMaxBytes: 8 * 1024 * 1024));
        Thread.Sleep(1000);
        FetchResponse f = KafkaRequests.ReadFetch(c.ReceiveFrame(), 11, 99);
        List<byte[]> got = KafkaRequests.Values(f.Topics[0].Partitions[0].Records, out _);
        Assert.Equal(values.Count, got.Count);
        for (int i = 0; i < values.Count; i++)
        {
            Assert.True(values[i].AsSpan().SequenceEqual(got[i]), $"record {i} came back changed");
        }
    }
}
