using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Diag.Commands;

/// <summary>Options of <c>fastmq-diag counters</c>.</summary>
internal sealed class CountersSettings : TargetSettings
{
    [CommandOption("--interval <SECONDS>")]
    [Description("Refresh interval in seconds (default 1).")]
    [DefaultValue(1.0)]
    public double IntervalSeconds { get; init; } = 1;

    [CommandOption("--duration <SECONDS>")]
    [Description("Stop after this many seconds (default: until Ctrl+C).")]
    public double? DurationSeconds { get; init; }

    [CommandOption("--meter <NAME>")]
    [Description("Another meter to show besides System.Runtime and FastMQ.Broker (repeatable).")]
    public string[] ExtraMeters { get; init; } = [];

    public override ValidationResult Validate()
    {
        if (IntervalSeconds is < 0.1 or > 3600)
        {
            return ValidationResult.Error("--interval must be between 0.1 and 3600 seconds");
        }
        if (DurationSeconds is <= 0)
        {
            return ValidationResult.Error("--duration must be positive");
        }
        return base.Validate();
    }
}
