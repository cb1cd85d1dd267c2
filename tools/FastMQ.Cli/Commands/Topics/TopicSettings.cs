using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Cli.Commands.Topics;

/// <summary>Settings of the topic commands that act on one named topic.</summary>
internal class TopicSettings : GlobalSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("Topic name.")]
    public string Name { get; set; } = "";

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return ValidationResult.Error("the topic name must not be empty");
        }
        return base.Validate();
    }
}
