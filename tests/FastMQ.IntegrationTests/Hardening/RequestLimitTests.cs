using System;
using System.Collections.Generic;
using FastMQ.Protocol.Messages;
using Xunit;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>The extremes of socket.request.max.bytes on a real broker process.</summary>
public sealed class RequestLimitTests
{
    // Goal: the largest accepted socket.request.max.bytes (2147483647) still serves ordinary large requests (it used to
    // overflow the receive-buffer size classes, so any frame over 256 KiB closed the connection). Method: start a
    // broker with that limit, produce one 900 KiB record over a raw connection and fetch it back unchanged.
    [Theory]
    [InlineData("sockets")]
    [InlineData("io_uring")]
    public void MaximalRequestLimit_StillServesLargeFrames(string backend)
    {
        using var broker = new BrokerProcess(["--fastmq.shards=1", $"--socket.request.max.bytes={int.MaxValue}", $"--fastmq.network.backend={backend}"]);
        using var c = new RawKafkaConnection(broker.Port);
        Assert.Equal(ErrorCode.None, KafkaRequests.ReadCreateTopics(c.RoundTrip(KafkaRequests.CreateTopics(7, 1, "big", 1)), 7, 1).Topics[0].ErrorCode);
        byte[] value = new byte[900 * 1024];
        new Random(11).NextBytes(value);
        byte[] response = c.RoundTrip(KafkaRequests.Produce(9, 2, "big", 0, KafkaRequests.Batch([value]), acks: 1));
        Assert.Equal(ErrorCode.None, KafkaRequests.ReadProduce(response, 9, 2).Topics[0].Partitions[0].ErrorCode);
        FetchResponse f = KafkaRequests.ReadFetch(c.RoundTrip(KafkaRequests.Fetch(11, 3, "big", 0, 0, partitionMaxBytes: 2 * 1024 * 1024)), 11, 3);
        List<byte[]> values = KafkaRequests.Values(f.Topics[0].Partitions[0].Records, out _);
        Assert.Single(values);
        Assert.Equal(value, values[0]);
    }
}
