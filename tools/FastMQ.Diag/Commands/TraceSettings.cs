using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Diag.Commands;

/// <summary>Options of <c>fastmq-diag trace</c>.</summary>
internal sealed class TraceSettings : TargetSettings
{
    [CommandOption("--duration <SECONDS>")]
    [Description("How long to sample (default 10).")]
    [DefaultValue(10.0)]
    public double DurationSeconds { get; init; } = 10;

    [CommandOption("--out <FILE>")]
    [Description("The .nettrace file to write (default fastmq-<pid>-<utc time>.nettrace).")]
    public string? OutputPath { get; init; }

    public override ValidationResult Validate() =>
        DurationSeconds is <= 0 or > 3600
            ? ValidationResult.Error("--duration must be between 0 and 3600 seconds")
            : base.Validate();
}
