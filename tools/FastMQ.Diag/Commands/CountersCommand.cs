using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Diag.Attach;
using FastMQ.Diag.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Diag.Commands;

/// <summary>
/// <c>fastmq-diag counters</c>: live view (or JSON lines) of System.Runtime and FastMQ.Broker instruments and GC
/// pauses per generation, refreshed every interval until --duration or Ctrl+C.
/// </summary>
internal sealed class CountersCommand : AsyncCommand<CountersSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, CountersSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        TimeSpan interval = TimeSpan.FromSeconds(settings.IntervalSeconds);
        var meters = new List<string> { DiagProviders.RuntimeMeter, DiagProviders.BrokerMeter };
        meters.AddRange(settings.ExtraMeters);
        using RuntimeMonitor monitor = RuntimeMonitor.Start(settings.Pid, interval, meters);
        Stopwatch clock = Stopwatch.StartNew();
        TimeSpan? duration = settings.DurationSeconds is double d ? TimeSpan.FromSeconds(d) : null;
        if (settings.Json)
        {
            Loop(monitor, interval, duration, clock,
                s => Console.Out.WriteLine(CountersJson.Line(settings.Pid, s, interval)), cancellationToken);
        }
        else
        {
            AnsiConsole.Live(new Markup($"attaching to process {settings.Pid}…"))
                .AutoClear(false)
                .Start(live => Loop(monitor, interval, duration, clock, s =>
                {
                    live.UpdateTarget(CountersView.Render(settings.Pid, s, interval));
                    live.Refresh();
                }, cancellationToken));
        }
        if (monitor.Ended && !cancellationToken.IsCancellationRequested && (duration is null || clock.Elapsed < duration))
        {
            throw new DiagTargetException($"process {settings.Pid} exited");
        }
        return Task.FromResult(ExitCodes.Ok);
    }

    private static void Loop(RuntimeMonitor monitor, TimeSpan interval, TimeSpan? duration, Stopwatch clock,
        Action<RuntimeSnapshot> show, CancellationToken cancellationToken)
    {
        long tick = 0;
        // Waiting in short slices keeps Ctrl+C and --duration responsive with long intervals.
        TimeSpan slice = TimeSpan.FromMilliseconds(200);
        TimeSpan firstDeadline = interval * 3 + TimeSpan.FromSeconds(5);
        while (!cancellationToken.IsCancellationRequested && (duration is null || clock.Elapsed < duration))
        {
            if (monitor.WaitForTick(tick, slice))
            {
                RuntimeSnapshot snapshot = monitor.Snapshot();
                tick = snapshot.Tick;
                show(snapshot);
            }
            else if (monitor.Ended)
            {
                return;
            }
            else if (tick == 0 && clock.Elapsed > firstDeadline)
            {
                throw new DiagTargetException(
                    $"process {monitor.ProcessId} sent no metrics within {firstDeadline.TotalSeconds:F0} s (a .NET 9+ runtime is needed for System.Runtime metrics)");
            }
        }
    }
}
