using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Cli.Output;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;
using Spectre.Console;

namespace FastMQ.Cli.Commands.Groups;

/// <summary><c>fastmq group list</c>: every consumer group with its state and protocol type (ListGroups on each broker).</summary>
internal sealed class GroupListCommand : BrokerCommand<GlobalSettings>
{
    protected override async Task<int> RunAsync(ClusterClient cluster, GlobalSettings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        List<ListGroupsResponse.ListedGroup> groups = await GroupAdmin.ListGroupsAsync(cluster, cancellationToken)
            .ConfigureAwait(false);
        if (output.IsJson)
        {
            var list = new JsonArray();
            foreach (ListGroupsResponse.ListedGroup g in groups)
            {
                list.Add(new JsonObject
                {
                    ["group"] = g.GroupId,
                    ["state"] = NullIfEmpty(g.GroupState),
                    ["protocolType"] = g.ProtocolType,
                });
            }
            CliOutput.WriteJson(new JsonObject { ["groups"] = list });
            return ExitCodes.Ok;
        }
        if (groups.Count == 0)
        {
            output.Err.MarkupLine("[grey]No groups.[/]");
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumn("Group").AddColumn("State").AddColumn("Protocol type");
        foreach (ListGroupsResponse.ListedGroup g in groups)
        {
            table.AddRow(Markup.Escape(g.GroupId), Markup.Escape(NullIfEmpty(g.GroupState) ?? "-"),
                Markup.Escape(g.ProtocolType.Length == 0 ? "-" : g.ProtocolType));
        }
        output.Out.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>ListGroups before v4 carries no state; it prints as unknown rather than as an empty string.</summary>
    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
