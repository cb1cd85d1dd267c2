using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace FastMQ.Cli.Output;

/// <summary>
/// Where a command writes: results on stdout (Spectre tables, or one JSON document), messages and errors on stderr,
/// so piping stdout into another tool never mixes in diagnostics.
/// </summary>
internal sealed class CliOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public CliOutput(OutputFormat format)
    {
        Format = format;
        Out = CreateConsole(Console.Out, Console.IsOutputRedirected);
        Err = CreateConsole(Console.Error, Console.IsErrorRedirected);
    }

    public OutputFormat Format { get; }

    public bool IsJson => Format == OutputFormat.Json;

    /// <summary>stdout, for results in table mode.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>stderr, for progress notes and errors.</summary>
    public IAnsiConsole Err { get; }

    /// <summary>Writes the command's single JSON document to stdout.</summary>
    public static void WriteJson(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        Console.Out.WriteLine(document.ToJsonString(JsonOptions));
        Console.Out.Flush();
    }

    /// <summary>
    /// Reports a failure: a red message on stderr and, in JSON mode, an error document on stdout so a script reading
    /// stdout still gets one JSON document.
    /// </summary>
    public void Error(string message, int exitCode, string? errorName = null)
    {
        Err.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        if (IsJson)
        {
            var error = new JsonObject
            {
                ["message"] = message,
                ["exitCode"] = exitCode,
            };
            if (errorName is not null)
            {
                error["kafkaError"] = errorName;
            }
            WriteJson(new JsonObject { ["error"] = error });
        }
    }

    private static IAnsiConsole CreateConsole(TextWriter writer, bool redirected)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            // No terminal to measure: use a width that keeps typical tables on one line instead of Spectre's 80.
            console.Profile.Width = 160;
        }
        return console;
    }
}
