using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Cli.Output;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Cli.Commands.Groups;

/// <summary>
/// <c>fastmq group reset-offsets GROUP --topic T (--to-earliest|--to-latest|--to-offset N) [--execute]</c>: plans new
/// committed offsets for every partition of the topic; prints the plan (dry run, like Kafka's tool) unless
/// <c>--execute</c>, which commits them as a standalone commit (generation -1, no member). The coordinator accepts that
/// only for a group without members; otherwise its error ends the command with exit 2.
/// </summary>
/// <remarks><c>--to-offset</c> is clamped into [log start, log end] per partition, as Kafka's tool does.</remarks>
internal sealed class GroupResetOffsetsCommand : BrokerCommand<GroupResetOffsetsCommand.Settings>
{
    protected override async Task<int> RunAsync(ClusterClient cluster, Settings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        MetadataResponse.Topic topic = await cluster.GetTopicAsync(settings.Topic!, cancellationToken).ConfigureAwait(false);
        var partitions = new List<int>(topic.Partitions.Count);
        foreach (MetadataResponse.Partition p in topic.Partitions)
        {
            partitions.Add(p.PartitionIndex);
        }
        partitions.Sort();
        Dictionary<int, ListOffsetsResponse.Partition> starts = await ListAsync(cluster, topic, partitions,
            ListOffsetsRequest.EarliestTimestamp, cancellationToken).ConfigureAwait(false);
        Dictionary<int, ListOffsetsResponse.Partition> ends = await ListAsync(cluster, topic, partitions,
            ListOffsetsRequest.LatestTimestamp, cancellationToken).ConfigureAwait(false);
        BrokerConnection coordinator = await GroupAdmin.GetCoordinatorAsync(cluster, settings.Group, cancellationToken)
            .ConfigureAwait(false);
        SortedDictionary<string, SortedDictionary<int, long>> committed = await GroupAdmin.FetchCommittedAsync(coordinator,
            settings.Group, settings.Topic, partitions, cancellationToken).ConfigureAwait(false);
        committed.TryGetValue(settings.Topic!, out SortedDictionary<int, long>? current);

        var plan = new SortedDictionary<int, long>();
        foreach (int p in partitions)
        {
            long start = starts[p].Offset;
            long end = ends[p].Offset;
            plan[p] = settings.ToEarliest ? start
                : settings.ToLatest ? end
                : Math.Clamp(settings.ToOffset!.Value, start, end);
        }
        if (settings.Execute)
        {
            await GroupAdmin.CommitStandaloneAsync(coordinator, settings.Group, settings.Topic!, plan, cancellationToken)
                .ConfigureAwait(false);
        }
        Write(output, settings, plan, current);
        return ExitCodes.Ok;
    }

    private static async Task<Dictionary<int, ListOffsetsResponse.Partition>> ListAsync(ClusterClient cluster,
        MetadataResponse.Topic topic, List<int> partitions, long timestamp, CancellationToken cancellationToken)
    {
        Dictionary<int, ListOffsetsResponse.Partition> offsets = await cluster.ListOffsetsAsync(topic, partitions, timestamp,
            cancellationToken).ConfigureAwait(false);
        foreach (KeyValuePair<int, ListOffsetsResponse.Partition> o in offsets)
        {
            if (o.Value.ErrorCode != ErrorCode.None)
            {
                throw new BrokerErrorException(o.Value.ErrorCode, $"cannot list the offsets of partition {o.Key} of '{topic.Name}'");
            }
        }
        return offsets;
    }

    private static void Write(CliOutput output, Settings settings, SortedDictionary<int, long> plan,
        SortedDictionary<int, long>? current)
    {
        if (output.IsJson)
        {
            var partitions = new JsonArray();
            foreach (KeyValuePair<int, long> p in plan)
            {
                long before = current?.GetValueOrDefault(p.Key, GroupAdmin.NoOffset) ?? GroupAdmin.NoOffset;
                partitions.Add(new JsonObject
                {
                    ["partition"] = p.Key,
                    ["currentOffset"] = before >= 0 ? before : null,
                    ["newOffset"] = p.Value,
                });
            }
            CliOutput.WriteJson(new JsonObject
            {
                ["group"] = settings.Group,
                ["topic"] = settings.Topic,
                ["executed"] = settings.Execute,
                ["partitions"] = partitions,
            });
            return;
        }
        var table = new Table().AddColumn("Topic").AddColumn(new TableColumn("Partition").RightAligned())
            .AddColumn(new TableColumn("Current").RightAligned()).AddColumn(new TableColumn("New").RightAligned());
        foreach (KeyValuePair<int, long> p in plan)
        {
            long before = current?.GetValueOrDefault(p.Key, GroupAdmin.NoOffset) ?? GroupAdmin.NoOffset;
            table.AddRow(Markup.Escape(settings.Topic!), p.Key.ToString(CultureInfo.InvariantCulture),
                before >= 0 ? before.ToString(CultureInfo.InvariantCulture) : "-", p.Value.ToString(CultureInfo.InvariantCulture));
        }
        output.Out.Write(table);
        output.Err.MarkupLine(settings.Execute
            ? $"Committed the new offsets for group [bold]{Markup.Escape(settings.Group)}[/]."
            : "[grey]Dry run: nothing committed. Add --execute to commit these offsets.[/]");
    }

    internal sealed class Settings : GroupSettings
    {
        [CommandOption("--topic <TOPIC>")]
        [Description("Topic whose partitions get new offsets (all of its partitions).")]
        public string? Topic { get; set; }

        [CommandOption("--to-earliest")]
        [Description("Reset to each partition's log start offset.")]
        public bool ToEarliest { get; set; }

        [CommandOption("--to-latest")]
        [Description("Reset to each partition's log end offset.")]
        public bool ToLatest { get; set; }

        [CommandOption("--to-offset <N>")]
        [Description("Reset to offset N (clamped into each partition's [log start, log end]).")]
        public long? ToOffset { get; set; }

        [CommandOption("--execute")]
        [Description("Commit the new offsets; without it, only print the plan.")]
        public bool Execute { get; set; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Topic))
            {
                return ValidationResult.Error("--topic is required");
            }
            int targets = (ToEarliest ? 1 : 0) + (ToLatest ? 1 : 0) + (ToOffset is null ? 0 : 1);
            if (targets != 1)
            {
                return ValidationResult.Error("give exactly one of --to-earliest, --to-latest, --to-offset N");
            }
            if (ToOffset < 0)
            {
                return ValidationResult.Error("--to-offset must be at least 0");
            }
            return base.Validate();
        }
    }
}
