using System.Threading.Tasks;
using FastMQ.Cli.Commands;
using FastMQ.Cli.Commands.Groups;
using FastMQ.Cli.Commands.Topics;
using FastMQ.Tools.Shared;
using Spectre.Console.Cli;

namespace FastMQ.Cli;

/// <summary>Entry point of <c>fastmq</c>: wires the commands; <see cref="CommandAppRunner"/> maps parse errors to exit code 1.</summary>
internal static class Program
{
    // Ctrl+C and SIGTERM end consume/produce cleanly (output flushed, exit 0) instead of killing the process mid-write;
    // `timeout 10 fastmq consume …` then still prints everything read.
    private static Task<int> Main(string[] args) => CommandAppRunner.RunAsync(
        GlobalOptions.MoveLeadingToEnd(args),
        "fastmq",
        Configure,
        usageExitCode: ExitCodes.Usage,
        interruptedExitCode: ExitCodes.Interrupted,
        internalErrorExitCode: ExitCodes.InternalError);

    private static void Configure(IConfigurator config)
    {
        config.SetApplicationVersion(typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
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
}
