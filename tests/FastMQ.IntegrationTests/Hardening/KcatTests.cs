using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using Xunit;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>kcat (the Debian package, its own librdkafka build) producing to and consuming from a real broker.</summary>
public sealed class KcatTests : IClassFixture<KcatTests.Broker>
{
    public sealed class Broker : IDisposable
    {
        public BrokerProcess Process { get; } = new(["--fastmq.shards=2"]);

        public void Dispose() => Process.Dispose();
    }

    private readonly BrokerProcess _broker;

    public KcatTests(Broker fixture) => _broker = fixture.Process;

    // Goal: a second, independently built Kafka client round-trips lines with every codec. Method: `kcat -P -z CODEC`
    // 500 distinct lines into a new topic (auto-created), then `kcat -C -e` from the beginning; the lines must come back
    // exactly, in order (one partition).
    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("snappy")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public void KcatProducesAndConsumes_EveryCodec(string codec)
    {
        string kcat = FindKcat();
        string topic = "kcat-" + codec;
        var lines = new List<string>();
        for (int i = 0; i < 500; i++)
        {
            lines.Add($"{codec} line {i} " + new string((char)('a' + (i % 26)), i % 100));
        }
        string input = string.Join('\n', lines) + "\n";
        (int produceExit, _, string produceErr) = Run(kcat, ["-b", _broker.BootstrapServers, "-P", "-t", topic, "-p", "0", "-z", codec,
            "-X", "topic.request.required.acks=all", "-X", "message.timeout.ms=20000"], input);
        Assert.True(produceExit == 0, $"kcat -P exited with {produceExit}: {produceErr}\nbroker:\n{_broker.Output}");

        (int consumeExit, string consumed, string consumeErr) = Run(kcat, ["-b", _broker.BootstrapServers, "-C", "-t", topic, "-p", "0",
            "-o", "beginning", "-e", "-q"], null);
        Assert.True(consumeExit == 0, $"kcat -C exited with {consumeExit}: {consumeErr}");
        Assert.Equal(lines, consumed.TrimEnd('\n').Split('\n'));
    }

    private static string FindKcat()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "kcat");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        Assert.Fail("kcat is not installed (it is the Debian package 'kcat'; .ci/run installs it): the kcat smoke test cannot run");
        return "";
    }

    private static (int Exit, string Stdout, string Stderr) Run(string file, string[] args, string? stdin)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        if (!p.WaitForExit(60_000))
        {
            p.Kill();
            Assert.Fail($"kcat {string.Join(' ', args)} did not finish in 60 s");
        }
        return (p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
