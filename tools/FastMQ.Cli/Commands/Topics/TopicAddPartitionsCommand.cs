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

namespace FastMQ.Cli.Commands.Topics;

/// <summary><c>fastmq topic add-partitions NAME --total N</c>: grows the topic to N partitions in all.</summary>
internal sealed class TopicAddPartitionsCommand : BrokerCommand<TopicAddPartitionsCommand.Settings>
{
    protected override async Task<int> RunAsync(ClusterClient cluster, Settings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        BrokerConnection controller = await cluster.GetControllerAsync(cancellationToken).ConfigureAwait(false);
        var request = new CreatePartitionsRequest { TimeoutMs = settings.RequestTimeoutMs };
        request.Topics.Add(new CreatePartitionsRequest.Topic { Name = settings.Name, Count = settings.Total!.Value });
        CreatePartitionsResponse response = await controller.SendAsync(ApiKey.CreatePartitions, request.Write,
            CreatePartitionsResponse.Read, cancellationToken).ConfigureAwait(false);
        CreatePartitionsResponse.Result result = TopicResults.Single(response.Results, r => r.Name, settings.Name, "CreatePartitions");
        if (result.ErrorCode != ErrorCode.None)
        {
            throw new BrokerErrorException(result.ErrorCode, $"cannot add partitions to topic '{settings.Name}'", result.ErrorMessage);
        }
        MetadataResponse.Topic topic = await cluster.GetTopicAsync(settings.Name, cancellationToken).ConfigureAwait(false);
        if (output.IsJson)
        {
            CliOutput.WriteJson(new JsonObject { ["topic"] = settings.Name, ["partitions"] = topic.Partitions.Count });
        }
        else
        {
            output.Out.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Topic [bold]{Markup.Escape(settings.Name)}[/] now has {topic.Partitions.Count} partition(s)."));
        }
        return ExitCodes.Ok;
    }

    internal sealed class Settings : TopicSettings
    {
        [CommandOption("--total <N>")]
        [Description("The partition count wanted in all (must exceed the current count).")]
        public int? Total { get; set; }

        public override ValidationResult Validate()
        {
            if (Total is null)
            {
                return ValidationResult.Error("--total is required");
            }
            if (Total <= 0)
            {
                return ValidationResult.Error("--total must be at least 1");
            }
            return base.Validate();
        }
    }
}
