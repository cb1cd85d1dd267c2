using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Cli.Output;
using FastMQ.Client.Internal;
using Spectre.Console;

namespace FastMQ.Cli.Commands.Groups;

/// <summary>
/// <c>fastmq group delete GROUP</c>: DeleteGroups on the group's coordinator. A group with members is refused by the
/// broker (NON_EMPTY_GROUP, exit 2).
/// </summary>
internal sealed class GroupDeleteCommand : BrokerCommand<GroupSettings>
{
    protected override async Task<int> RunAsync(ClusterClient cluster, GroupSettings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        BrokerConnection coordinator = await GroupAdmin.GetCoordinatorAsync(cluster, settings.Group, cancellationToken)
            .ConfigureAwait(false);
        await GroupAdmin.DeleteGroupAsync(coordinator, settings.Group, cancellationToken).ConfigureAwait(false);
        if (output.IsJson)
        {
            CliOutput.WriteJson(new JsonObject { ["group"] = settings.Group, ["deleted"] = true });
        }
        else
        {
            output.Out.MarkupLine($"Deleted group [bold]{Markup.Escape(settings.Group)}[/].");
        }
        return ExitCodes.Ok;
    }
}
