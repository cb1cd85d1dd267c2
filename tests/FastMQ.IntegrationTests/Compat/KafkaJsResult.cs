using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace FastMQ.IntegrationTests.Compat;

/// <summary>
/// One run of the kafkajs driver: its exit code, output and the JSON object it printed. Accessors fail the test with
/// the whole run (JSON, client log, broker log tail) so a failure shows the request kafkajs sent and what it got back.
/// </summary>
public sealed class KafkaJsResult
{
    private readonly BrokerProcess _broker;

    public KafkaJsResult(string command, int exitCode, string stdout, string stderr, BrokerProcess broker)
    {
        Command = command;
        ExitCode = exitCode;
        Stdout = stdout;
        Stderr = stderr;
        _broker = broker;
        string? last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        try
        {
            Json = last is null ? null : JsonNode.Parse(last) as JsonObject;
        }
        catch (JsonException)
        {
            Json = null;
        }
    }

    public string Command { get; }

    public int ExitCode { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public JsonObject? Json { get; }

    /// <summary>Fails unless the scenario ran to its end (exit 0 and <c>"ok": true</c>); returns its JSON.</summary>
    public JsonObject AssertOk()
    {
        Assert.True(ExitCode == 0 && Json?["ok"]?.GetValue<bool>() == true, $"kafkajs run failed:\n{this}");
        return Json!;
    }

    public int Int(string name) => Node(name).GetValue<int>();

    public long Long(string name) => Node(name).GetValue<long>();

    public bool Bool(string name) => Node(name).GetValue<bool>();

    public JsonArray Array(string name) => Node(name).AsArray();

    /// <summary>"Produce v7"-style names of every request kafkajs sent in this run.</summary>
    public IReadOnlyList<string> Requests => [.. Array("requests").Select(r => r!.GetValue<string>())];

    /// <summary>Per partition from fetchTopicOffsets (ListOffsets v3): (partition, low, high).</summary>
    public IReadOnlyList<(int Partition, long Low, long High)> Offsets =>
        [.. Array("offsets").Select(o => (o!["partition"]!.GetValue<int>(), o["low"]!.GetValue<long>(), o["high"]!.GetValue<long>()))];

    public JsonNode Node(string name)
    {
        JsonObject json = AssertOk();
        JsonNode? node = json[name];
        Assert.True(node is not null, $"'{name}' missing from the kafkajs output:\n{this}");
        return node!;
    }

    /// <summary>Fails unless every request named was sent (proves the version kafkajs negotiated with the broker).</summary>
    public void AssertSent(params string[] requests)
    {
        IReadOnlyList<string> sent = Requests;
        foreach (string r in requests)
        {
            Assert.True(sent.Contains(r), $"kafkajs did not send {r}; sent {string.Join(", ", sent)}\n{this}");
        }
    }

    /// <summary>Fails if the broker answered any request with an error code kafkajs logged.</summary>
    public void AssertNoErrorResponses() =>
        Assert.True(Array("errorResponses").Count == 0, $"broker answered with errors:\n{this}");

    public override string ToString()
    {
        string brokerTail = string.Join(Environment.NewLine, _broker.Output.Split(Environment.NewLine).TakeLast(30));
        string stderrTail = Stderr.Length > 6000 ? "…" + Stderr[^6000..] : Stderr;
        return $"{Command} → exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{stderrTail}\n--- broker (last 30 lines) ---\n{brokerTail}";
    }
}
