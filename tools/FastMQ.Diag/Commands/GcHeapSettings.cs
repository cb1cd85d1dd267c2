using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Diag.Commands;

/// <summary>Options of <c>fastmq-diag gc-heap</c>.</summary>
internal sealed class GcHeapSettings : TargetSettings
{
    [CommandOption("--top <N>")]
    [Description("How many types to list, largest total size first (default 20).")]
    [DefaultValue(20)]
    public int TopTypes { get; init; } = 20;

    [CommandOption("--timeout <SECONDS>")]
    [Description("How long to wait for the heap-walk GC (default 60).")]
    [DefaultValue(60.0)]
    public double TimeoutSeconds { get; init; } = 60;

    public override ValidationResult Validate()
    {
        if (TopTypes is < 1 or > 10_000)
        {
            return ValidationResult.Error("--top must be between 1 and 10000");
        }
        return TimeoutSeconds <= 0 ? ValidationResult.Error("--timeout must be positive") : base.Validate();
    }
}
