using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Diag.Attach;
using FastMQ.Diag.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Diag;

/// <summary>Entry point of <c>fastmq-diag</c>: wires the commands and maps failures to exit codes (see <see cref="ExitCodes"/>).</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        // Ctrl+C ends counters and trace cleanly (the trace file is still closed and summarized).
        Action<PosixSignalContext> stop = context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        };
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, stop);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, stop);
        var app = new CommandApp();
        app.Configure(Configure);
        try
        {
            if (args.Length == 0)
            {
                await app.RunAsync(["--help"], cancel.Token).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            return await app.RunAsync(args, cancel.Token).ConfigureAwait(false);
        }
        catch (CommandAppException e)
        {
            WriteError(e.Message);
            return ExitCodes.Usage;
        }
        catch (DiagTargetException e)
        {
            WriteError(e.Message);
            return ExitCodes.Target;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            WriteError("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            WriteError($"unexpected failure: {e}");
            return ExitCodes.InternalError;
        }
    }

    private static void Configure(IConfigurator config)
    {
        config.SetApplicationName("fastmq-diag");
        config.PropagateExceptions();
        config.AddCommand<CountersCommand>("counters")
            .WithDescription("Live runtime counters (CPU, allocations, GC per generation, heap, thread pool, locks) and FastMQ.Broker metrics.")
            .WithExample("counters", "--pid", "1234", "--interval", "1", "--duration", "30");
        config.AddCommand<TraceCommand>("trace")
            .WithDescription("Record a CPU sampling trace (.nettrace) for some seconds.")
            .WithExample("trace", "--pid", "1234", "--duration", "20", "--out", "broker.nettrace");
        config.AddCommand<GcHeapCommand>("gc-heap")
            .WithDescription("Induce one gen2 GC and print heap size and fragmentation per generation and live objects by type.")
            .WithExample("gc-heap", "--pid", "1234", "--top", "30");
    }

    private static void WriteError(string message)
    {
        IAnsiConsole err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        err.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
    }
}
