using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Cli.Output;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;
using Spectre.Console;

namespace FastMQ.Cli.Commands.Topics;

/// <summary><c>fastmq topic delete NAME</c>.</summary>
internal sealed class TopicDeleteCommand : BrokerCommand<TopicSettings>
{
    protected override async Task<int> RunAsync(ClusterClient cluster, TopicSettings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        BrokerConnection controller = await cluster.GetControllerAsync(cancellationToken).ConfigureAwait(false);
        var request = new DeleteTopicsRequest { TimeoutMs = settings.RequestTimeoutMs };
        request.Topics.Add(new DeleteTopicsRequest.Topic { Name = settings.Name });
        DeleteTopicsResponse response = await controller.SendAsync(ApiKey.DeleteTopics, request.Write,
            DeleteTopicsResponse.Read, cancellationToken).ConfigureAwait(false);
        DeleteTopicsResponse.Result result = TopicResults.Single(response.Responses, r => r.Name, settings.Name, "DeleteTopics");
        if (result.ErrorCode != ErrorCode.None)
        {
            throw new BrokerErrorException(result.ErrorCode, $"cannot delete topic '{settings.Name}'", result.ErrorMessage);
        }
        if (output.IsJson)
        {
            CliOutput.WriteJson(new JsonObject { ["topic"] = settings.Name, ["deleted"] = true });
        }
        else
        {
            output.Out.MarkupLine($"Deleted topic [bold]{Markup.Escape(settings.Name)}[/].");
        }
        return ExitCodes.Ok;
    }
}
