using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Cli.Commands.Groups;

/// <summary>Settings of the group commands that act on one named consumer group.</summary>
internal class GroupSettings : GlobalSettings
{
    [CommandArgument(0, "<GROUP>")]
    [Description("Consumer group id.")]
    public string Group { get; set; } = "";

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Group))
        {
            return ValidationResult.Error("the group id must not be empty");
        }
        return base.Validate();
    }
}
