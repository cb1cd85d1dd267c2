using System;
using System.Collections.Generic;
using System.Threading;
using Xunit;

namespace FastMQ.IntegrationTests.Cli;

/// <summary>One real broker shared by the CLI tests; each test uses its own topic names.</summary>
public sealed class CliBrokerFixture : IDisposable
{
    private static int s_topicCounter;

    public CliBrokerFixture()
    {
        Broker = new BrokerProcess();
    }

    public BrokerProcess Broker { get; }

    /// <summary>A topic name no other test uses.</summary>
    public static string NewTopic(string purpose) =>
        $"cli-{purpose}-{Interlocked.Increment(ref s_topicCounter)}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Runs fastmq against this broker (<c>--bootstrap-server</c> appended).</summary>
    public CliResult Run(params string[] args) => RunWithInput(null, args);

    public CliResult RunWithInput(string? stdin, params string[] args)
    {
        var all = new List<string>(args) { "--bootstrap-server", Broker.BootstrapServers };
        return FastMqCli.Run(stdin, null, [.. all]);
    }

    /// <summary>Runs a command that must succeed, failing the test with the broker's output otherwise.</summary>
    public CliResult RunOk(params string[] args) => RunOkWithInput(null, args);

    public CliResult RunOkWithInput(string? stdin, params string[] args)
    {
        CliResult result = RunWithInput(stdin, args);
        Assert.True(result.ExitCode == 0, $"fastmq {string.Join(' ', args)} failed: {result}\n--- broker ---\n{Broker.Output}");
        return result;
    }

    public void Dispose() => Broker.Dispose();
}
