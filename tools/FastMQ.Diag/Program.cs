using System.Threading.Tasks;
using FastMQ.Diag.Attach;
using FastMQ.Diag.Commands;
using FastMQ.Tools.Shared;
using Spectre.Console.Cli;

namespace FastMQ.Diag;

/// <summary>Entry point of <c>fastmq-diag</c>: wires the commands and maps failures to exit codes (see <see cref="ExitCodes"/>).</summary>
internal static class Program
{
    // Ctrl+C ends counters and trace cleanly (the trace file is still closed and summarized).
    private static Task<int> Main(string[] args) => CommandAppRunner.RunAsync(
        args,
        "fastmq-diag",
        Configure,
        usageExitCode: ExitCodes.Usage,
        interruptedExitCode: ExitCodes.Interrupted,
        internalErrorExitCode: ExitCodes.InternalError,
        mapToolFailure: static e => e is DiagTargetException ? ExitCodes.Target : null);

    private static void Configure(IConfigurator config)
    {
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
}
