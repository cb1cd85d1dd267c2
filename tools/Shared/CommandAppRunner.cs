using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Tools.Shared;

/// <summary>
/// Runs a FastMQ command-line tool the same way in every tool: one Spectre.Console.Cli app whose exceptions reach this
/// runner, Ctrl+C and SIGTERM turned into cancellation, and every failure mapped to the tool's exit code with one
/// <c>error:</c> line on stderr. One source file, linked into each tool; the commands and exit codes stay the tool's.
/// </summary>
internal static class CommandAppRunner
{
    /// <summary>
    /// Runs <paramref name="args"/> through an app set up by <paramref name="configure"/> and returns the process exit code.
    /// </summary>
    /// <param name="args">The command line; empty prints the help text and returns <paramref name="usageExitCode"/>.</param>
    /// <param name="applicationName">The name the help text shows.</param>
    /// <param name="configure">Adds the tool's commands (and e.g. its version); the runner has already set the name and
    /// made parse errors propagate as exceptions.</param>
    /// <param name="usageExitCode">Returned for no command, and for parse and validation errors.</param>
    /// <param name="interruptedExitCode">Returned when a command ends by throwing after Ctrl+C or SIGTERM.</param>
    /// <param name="internalErrorExitCode">Returned for any other exception, printed in full.</param>
    /// <param name="mapToolFailure">The tool's own failure kinds: an exit code for an exception whose message is the
    /// whole story (printed as the error line), null for any other. Asked before the cancellation and catch-all cases.</param>
    public static async Task<int> RunAsync(
        string[] args,
        string applicationName,
        Action<IConfigurator> configure,
        int usageExitCode,
        int interruptedExitCode,
        int internalErrorExitCode,
        Func<Exception, int?>? mapToolFailure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configure);
        using var cancel = new CancellationTokenSource();
        // Ctrl+C and SIGTERM cancel the command's token instead of killing the process mid-write, so commands can end
        // cleanly (output flushed, files closed); each command decides what an interrupt means for its exit code.
        Action<PosixSignalContext> stop = context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        };
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, stop);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, stop);
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName(applicationName);
            // Parse and validation errors reach the catch below as exceptions: the usage exit code and one error line.
            config.PropagateExceptions();
            configure(config);
        });
        try
        {
            if (args.Length == 0)
            {
                // No command is a usage error for scripts; people still get the help text.
                await app.RunAsync(["--help"], cancel.Token).ConfigureAwait(false);
                return usageExitCode;
            }
            return await app.RunAsync(args, cancel.Token).ConfigureAwait(false);
        }
        catch (CommandAppException e)
        {
            WriteError(e.Message);
            return usageExitCode;
        }
        catch (Exception e) when (mapToolFailure?.Invoke(e) is int toolExitCode)
        {
            WriteError(e.Message);
            return toolExitCode;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            WriteError("interrupted");
            return interruptedExitCode;
        }
        catch (Exception e)
        {
            WriteError($"unexpected failure: {e}");
            return internalErrorExitCode;
        }
    }

    private static void WriteError(string message)
    {
        IAnsiConsole err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        err.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
    }
}
