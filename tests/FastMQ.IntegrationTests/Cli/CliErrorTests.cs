using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace FastMQ.IntegrationTests.Cli;

/// <summary>Exit codes scripts rely on: 1 usage, 2 broker/protocol error, 3 cannot connect or timeout.</summary>
[Collection(CliCollection.Name)]
public sealed class CliErrorTests(CliBrokerFixture fixture)
{
    [Fact]
    public void NoBrokerListening_ExitsThree()
    {
        // Goal: a refused connection is exit code 3, with a JSON error document in JSON mode. Method: point fastmq at
        // a free loopback port nobody listens on.
        string address = $"127.0.0.1:{BrokerProcess.FreePort()}";
        CliResult table = FastMqCli.Run("topic", "list", "--bootstrap-server", address);
        Assert.Equal(3, table.ExitCode);
        Assert.Contains("cannot connect", table.Stderr, StringComparison.Ordinal);

        CliResult json = FastMqCli.Run("cluster", "info", "--bootstrap-server", address, "-o", "json");
        Assert.Equal(3, json.ExitCode);
        Assert.Equal(3, json.Json().GetProperty("error").GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public void BrokerThatNeverAnswers_ExitsThreeAfterRequestTimeout()
    {
        // Goal: a silent peer is reported as a timeout (3) within the request timeout. Method: a listening socket whose
        // connections are never read or answered.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        CliResult result = FastMqCli.Run("topic", "list", "-b", $"127.0.0.1:{port}", "--request-timeout-ms", "500");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("did not answer", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerThatClosesTheConnection_ExitsTwo()
    {
        // Goal: a peer that reads the request and hangs up (what Kafka brokers do for requests they do not serve) is a
        // protocol error (2), not a connection failure. Method: a socket that reads one whole frame, then closes.
        using var closer = new TcpListener(IPAddress.Loopback, 0);
        closer.Start();
        int port = ((IPEndPoint)closer.LocalEndpoint).Port;
        Task server = Task.Run(async () =>
        {
            using TcpClient client = await closer.AcceptTcpClientAsync();
            NetworkStream stream = client.GetStream();
            byte[] size = new byte[4];
            await stream.ReadExactlyAsync(size);
            await stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadInt32BigEndian(size)]);
        });
        CliResult result = FastMqCli.Run("cluster", "info", "-b", $"127.0.0.1:{port}");
        await server;
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("closed the connection", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("topic", "list", "--output", "xml")]
    [InlineData("topic", "list", "--bootstrap-server", "localhost:notaport")]
    [InlineData("topic", "create")]
    [InlineData("topic", "create", "t", "--config", "novalue")]
    [InlineData("consume", "t", "--from-beginning", "--from-end")]
    [InlineData("produce", "t", "--compression", "brotli")]
    [InlineData]
    public void UsageErrors_ExitOne(params string[] args)
    {
        // Goal: command-line mistakes are exit code 1 and never reach a broker. Method: run each bad command line
        // with no broker configured.
        CliResult result = FastMqCli.Run(args);
        Assert.True(result.ExitCode == 1, result.ToString());
    }

    [Fact]
    public void BootstrapFromEnvironment_AndGlobalOptionsBeforeTheCommand()
    {
        // Goal: FASTMQ_BOOTSTRAP is used when --bootstrap-server is absent, and global options work before the command
        // name. Method: run cluster info both ways against the shared broker.
        var env = new Dictionary<string, string?> { ["FASTMQ_BOOTSTRAP"] = fixture.Broker.BootstrapServers };
        CliResult fromEnv = FastMqCli.Run(null, env, "cluster", "info", "-o", "json");
        Assert.True(fromEnv.ExitCode == 0, fromEnv.ToString());
        Assert.Equal(fixture.Broker.BootstrapServers, fromEnv.Json().GetProperty("bootstrap").GetString());

        CliResult leading = FastMqCli.Run("-b", fixture.Broker.BootstrapServers, "--output=json", "topic", "list");
        Assert.True(leading.ExitCode == 0, leading.ToString());
        Assert.Equal(JsonValueKind.Array, leading.Json().GetProperty("topics").ValueKind);
    }
}
