using System;
using System.Collections.Generic;
using FastMQ.Protocol.Messages;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>
/// The broker of the bad-input tests: auto-create off, socket.request.max.bytes = 1 MiB, a topic whose
/// max.message.bytes is 2048, on the given network back-end.
/// </summary>
public abstract class BadInputBroker : IDisposable
{
    public const int MaxRequestBytes = 1024 * 1024;
    public const string LimitedTopic = "hardening-limits";

    protected BadInputBroker(string backend)
    {
        Process = new BrokerProcess(["--fastmq.shards=2", "--auto.create.topics.enable=false",
            $"--socket.request.max.bytes={MaxRequestBytes}", $"--fastmq.network.backend={backend}"]);
        using var c = new RawKafkaConnection(Process.Port);
        byte[] response = c.RoundTrip(KafkaRequests.CreateTopics(7, 1, LimitedTopic, 1,
            new Dictionary<string, string> { ["max.message.bytes"] = "2048" }));
        CreateTopicsResponse created = KafkaRequests.ReadCreateTopics(response, 7, 1);
        if (created.Topics.Count != 1 || created.Topics[0].ErrorCode != ErrorCode.None)
        {
            throw new InvalidOperationException($"could not create {LimitedTopic}: {created.Topics[0].ErrorCode}");
        }
    }

    public BrokerProcess Process { get; }

    public void Dispose()
    {
        Process.Dispose();
        GC.SuppressFinalize(this);
    }
}
