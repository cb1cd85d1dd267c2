using System;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Cli.Output;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;
using Spectre.Console;

namespace FastMQ.Cli.Commands.Topics;

/// <summary><c>fastmq topic list</c>: every topic with its partition count and replication factor.</summary>
internal sealed class TopicListCommand : BrokerCommand<GlobalSettings>
{
    protected override async Task<int> RunAsync(ClusterClient cluster, GlobalSettings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        MetadataResponse metadata = await cluster.GetMetadataAsync(null, cancellationToken).ConfigureAwait(false);
        MetadataResponse.Topic[] topics = [.. metadata.Topics];
        Array.Sort(topics, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        if (output.IsJson)
        {
            var list = new JsonArray();
            foreach (MetadataResponse.Topic t in topics)
            {
                list.Add(new JsonObject
                {
                    ["topic"] = t.Name,
                    ["topicId"] = TopicResults.IdOrNull(t.TopicId),
                    ["partitions"] = t.Partitions.Count,
                    ["replicationFactor"] = ReplicationFactor(t),
                    ["internal"] = t.IsInternal,
                });
            }
            CliOutput.WriteJson(new JsonObject { ["topics"] = list });
            return ExitCodes.Ok;
        }
        if (topics.Length == 0)
        {
            output.Err.MarkupLine("[grey]No topics.[/]");
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumn("Topic").AddColumn(new TableColumn("Partitions").RightAligned())
            .AddColumn(new TableColumn("Replication").RightAligned()).AddColumn("Internal");
        foreach (MetadataResponse.Topic t in topics)
        {
            table.AddRow(
                Markup.Escape(t.Name ?? "?"),
                t.Partitions.Count.ToString(CultureInfo.InvariantCulture),
                ReplicationFactor(t).ToString(CultureInfo.InvariantCulture),
                t.IsInternal ? "yes" : "");
        }
        output.Out.Write(table);
        return ExitCodes.Ok;
    }

    private static int ReplicationFactor(MetadataResponse.Topic topic) =>
        topic.Partitions.Count > 0 ? topic.Partitions[0].ReplicaNodes.Length : 0;
}
