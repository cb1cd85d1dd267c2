using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Diag.Commands;

/// <summary>Options every command shares: the process to attach to and the output format.</summary>
internal class TargetSettings : CommandSettings
{
    [CommandOption("-p|--pid <PID>")]
    [Description("Process id of the .NET process (e.g. fastmq-server) to attach to; same user, same TMPDIR.")]
    public int Pid { get; init; }

    [CommandOption("-o|--output <FORMAT>")]
    [Description("table (default, live view for counters) or json (one JSON object per line).")]
    [DefaultValue("table")]
    public string Output { get; init; } = "table";

    public bool Json => Output == "json";

    public override ValidationResult Validate()
    {
        if (Pid <= 0)
        {
            return ValidationResult.Error("--pid is required and must be a positive process id");
        }
        return Output is "table" or "json"
            ? ValidationResult.Success()
            : ValidationResult.Error($"unknown --output '{Output}': expected table or json");
    }
}
