using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Cli.Commands;
using FastMQ.Cli.Commands.Groups;
using FastMQ.Cli.Commands.Topics;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Cli;

/// <summary>Entry point of <c>fastmq</c>: wires the commands and maps parse errors to exit code 1.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        // Ctrl+C and SIGTERM end consume/produce cleanly (output flushed, exit 0) instead of killing the process
        // mid-write; `timeout 10 fastmq consume …` then still prints everything read.
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
                // No command is a usage error for scripts; people still get the help text.
                await app.RunAsync(["--help"], cancel.Token).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            return await app.RunAsync(GlobalOptions.MoveLeadingToEnd(args), cancel.Token).ConfigureAwait(false);
        }
        catch (CommandAppException e)
        {
            WriteError(e.Message);
            return ExitCodes.Usage;
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
        config.SetApplicationName("fastmq");
        config.SetApplicationVersion(typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        // Parse and validation errors reach Main as exceptions, so they get exit code 1 and one error line.
        config.PropagateExceptions();
        config.AddBranch<GlobalSettings>("topic", topic =>
        {
            topic.SetDescription("Create, list, describe, delete topics and add partitions.");
            topic.AddCommand<TopicCreateCommand>("create").WithDescription("Create a topic.")
                .WithExample("topic", "create", "orders", "--partitions", "3", "--config", "retention.ms=86400000");
            topic.AddCommand<TopicListCommand>("list").WithDescription("List topics.");
            topic.AddCommand<TopicDescribeCommand>("describe")
                .WithDescription("Partitions, leaders, log start/end offsets and configs of a topic.");
            topic.AddCommand<TopicDeleteCommand>("delete").WithDescription("Delete a topic.");
            topic.AddCommand<TopicAddPartitionsCommand>("add-partitions")
                .WithDescription("Grow a topic to a total number of partitions.")
                .WithExample("topic", "add-partitions", "orders", "--total", "6");
        });
        config.AddCommand<ProduceCommand>("produce")
            .WithDescription("Send stdin lines to a topic, one record per line.")
            .WithExample("produce", "orders", "--key-separator", ":", "--compression", "zstd");
        config.AddCommand<ConsumeCommand>("consume")
            .WithDescription("Print records of a topic, one per line (no consumer group needed).")
            .WithExample("consume", "orders", "--from-beginning", "-n", "10", "--timeout-ms", "5000");
        config.AddBranch<GlobalSettings>("group", group =>
        {
            group.SetDescription("List, describe, delete consumer groups and reset their offsets.");
            group.AddCommand<GroupListCommand>("list").WithDescription("List consumer groups with state and protocol type.");
            group.AddCommand<GroupDescribeCommand>("describe")
                .WithDescription("Members, assignments, committed offsets and lag (records and seconds) of a group.");
            group.AddCommand<GroupDeleteCommand>("delete").WithDescription("Delete a consumer group without members.");
            group.AddCommand<GroupResetOffsetsCommand>("reset-offsets")
                .WithDescription("Plan (dry run) or, with --execute, commit new offsets for a group without members.")
                .WithExample("group", "reset-offsets", "billing", "--topic", "orders", "--to-earliest", "--execute");
        });
        config.AddBranch<GlobalSettings>("cluster", cluster =>
        {
            cluster.SetDescription("Cluster-wide information.");
            cluster.AddCommand<ClusterInfoCommand>("info")
                .WithDescription("Brokers, cluster id, controller and supported API versions.");
        });
    }

    private static void WriteError(string message)
    {
        IAnsiConsole err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        err.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
    }
}
