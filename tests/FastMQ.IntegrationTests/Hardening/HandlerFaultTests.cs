using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using FastMQ.Broker;
using FastMQ.Broker.Configuration;
using FastMQ.Broker.Requests;
using FastMQ.Protocol.Messages;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>Uses the process-wide dispatcher hook, so it runs with the other in-process broker tests, not beside them.</summary>
[Collection(AllocationCollection.Name)]
public sealed class HandlerFaultTests
{
    private const int PoisonCorrelationId = 424_242;

    // Goal: a handler that fails unexpectedly (a broker bug) costs that client its connection, not a hung connection,
    // and the broker keeps serving. Method: an in-process broker whose dispatcher hook throws for one correlation id;
    // a raw client sends ListOffsets with that id and must see the connection closed within 5 s; a second connection
    // then gets a normal Metadata answer, and the first client can reconnect and is served. Both network backends.
    [Theory]
    [InlineData("sockets")]
    [InlineData("io_uring")]
    public async Task HandlerException_ClosesThatConnection_AndTheBrokerKeepsServing(string backend)
    {
        (BrokerServer server, int port, string dataDir) = await StartBrokerAsync(backend);
        RequestDispatcher.BeforeRouteHook = static ctx =>
        {
            if (ctx.CorrelationId == PoisonCorrelationId)
            {
                throw new InvalidOperationException("injected handler fault");
            }
        };
        try
        {
            using (var victim = new RawKafkaConnection(port))
            {
                // A normal request first: the connection works.
                _ = victim.RoundTrip(KafkaRequests.Metadata(12, 1, null));
                victim.Send(KafkaRequests.ListOffsets(7, PoisonCorrelationId, "any-topic", 0, -1));
                TimeSpan? closedAfter = victim.WaitForClose(5_000);
                Assert.True(closedAfter is not null, "the connection whose request failed inside the broker stayed open (its responses would hang)");
            }
            using (var other = new RawKafkaConnection(port))
            {
                MetadataResponse metadata = KafkaRequests.ReadMetadata(other.RoundTrip(KafkaRequests.Metadata(12, 2, null)), 12, 2);
                Assert.NotEmpty(metadata.Brokers);
                // And the same client, reconnected, is served normally (the broker did not stop listening).
                _ = other.RoundTrip(KafkaRequests.ListOffsets(7, 3, "any-topic", 0, -1));
            }
        }
        finally
        {
            RequestDispatcher.BeforeRouteHook = null;
            await server.StopAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    // Goal: an asynchronous handler (admin and group APIs that wait for the controller or other shards) that fails
    // before answering costs that client its connection too, instead of leaving the request unanswered forever.
    // Method: an in-process broker whose async-start hook replaces the handler with one that fails after an await, for
    // one correlation id; a raw client sends a Metadata request that auto-creates a topic (the asynchronous path) with
    // that id and must see the connection closed within 5 s; a second connection then creates topics normally.
    [Theory]
    [InlineData("sockets")]
    [InlineData("io_uring")]
    public async Task AsyncHandlerFailure_ClosesThatConnection_AndTheBrokerKeepsServing(string backend)
    {
        (BrokerServer server, int port, string dataDir) = await StartBrokerAsync(backend);
        AsyncRequests.StartHook = static ctx => ctx.CorrelationId == PoisonCorrelationId ? FailLater() : null;
        try
        {
            using (var victim = new RawKafkaConnection(port))
            {
                _ = victim.RoundTrip(KafkaRequests.Metadata(12, 1, null));
                victim.Send(KafkaRequests.Metadata(12, PoisonCorrelationId, "fault-topic"));
                TimeSpan? closedAfter = victim.WaitForClose(5_000);
                Assert.True(closedAfter is not null, "the connection whose asynchronous request failed inside the broker stayed open (its responses would hang)");
            }
            using (var other = new RawKafkaConnection(port))
            {
                MetadataResponse metadata = KafkaRequests.ReadMetadata(other.RoundTrip(KafkaRequests.Metadata(12, 2, "created-topic")), 12, 2);
                Assert.Contains(metadata.Topics, t => t.Name == "created-topic" && t.ErrorCode is ErrorCode.None or ErrorCode.LeaderNotAvailable);
            }
        }
        finally
        {
            AsyncRequests.StartHook = null;
            await server.StopAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task FailLater()
    {
        await Task.Delay(20);
        throw new InvalidOperationException("injected asynchronous handler fault");
    }

    /// <summary>An in-process broker with 2 shards on <paramref name="backend"/>, a free port and a temporary data directory.</summary>
    private static async Task<(BrokerServer Server, int Port, string DataDir)> StartBrokerAsync(string backend)
    {
        int port = BrokerProcess.FreePort();
        string dataDir = Path.Combine(Path.GetTempPath(), "fastmq-fault-" + Guid.NewGuid().ToString("N"));
        BrokerOptions options = BrokerOptions.Load(new Dictionary<string, string?>
        {
            ["listeners"] = $"PLAINTEXT://127.0.0.1:{port}",
            ["log.dirs"] = dataDir,
            ["fastmq.shards"] = "2",
            ["fastmq.network.backend"] = backend,
        });
        return (await BrokerServer.StartAsync(options, NullLoggerFactory.Instance), port, dataDir);
    }
}
