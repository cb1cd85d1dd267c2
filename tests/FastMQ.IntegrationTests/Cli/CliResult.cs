using System.Text.Json;

namespace FastMQ.IntegrationTests.Cli;

/// <summary>What one run of the fastmq binary produced.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Parses stdout as the single JSON document --output json promises (throws if it is not one).</summary>
    public JsonElement Json()
    {
        using JsonDocument doc = JsonDocument.Parse(Stdout);
        return doc.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
