using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Diag.Trace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Diag.Commands;

/// <summary><c>fastmq-diag trace</c>: CPU sampling trace to a .nettrace file, then how to open it.</summary>
internal sealed class TraceCommand : AsyncCommand<TraceSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, TraceSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string path = settings.OutputPath ?? string.Create(CultureInfo.InvariantCulture,
            $"fastmq-{settings.Pid}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.nettrace");
        TimeSpan duration = TimeSpan.FromSeconds(settings.DurationSeconds);
        if (!settings.Json)
        {
            AnsiConsole.MarkupLineInterpolated($"sampling process {settings.Pid} for {duration.TotalSeconds:F0} s into {path} …");
        }
        TraceRecorder.Record(settings.Pid, duration, path, cancellationToken);
        TraceFileSummary summary = TraceRecorder.Summarize(path);
        if (settings.Json)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"path\":{System.Text.Json.JsonSerializer.Serialize(summary.Path)},\"bytes\":{summary.Bytes},\"cpuSamples\":{summary.CpuSamples},\"sampledThreads\":{summary.SampledThreads},\"events\":{summary.Events}}}"));
            return Task.FromResult(ExitCodes.Ok);
        }
        string name = Path.GetFileNameWithoutExtension(summary.Path);
        AnsiConsole.MarkupLineInterpolated(
            $"wrote {summary.Path}: {summary.Bytes:N0} bytes, {summary.CpuSamples:N0} CPU samples from {summary.SampledThreads} threads, {summary.Events:N0} events");
        AnsiConsole.WriteLine("open it with:");
        AnsiConsole.WriteLine($"  speedscope: dotnet-trace convert --format Speedscope {summary.Path}  (then load {name}.speedscope.json at https://www.speedscope.app)");
        AnsiConsole.WriteLine($"  PerfView (Windows): PerfView {summary.Path}  (CPU stacks: \"Thread Time (with StartStop Activities)\")");
        AnsiConsole.WriteLine($"  Chromium trace viewer: dotnet-trace convert --format Chromium {summary.Path}  (chrome://tracing or https://ui.perfetto.dev)");
        return Task.FromResult(ExitCodes.Ok);
    }
}
