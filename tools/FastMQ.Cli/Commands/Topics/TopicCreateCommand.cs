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

namespace FastMQ.Cli.Commands.Topics;

/// <summary><c>fastmq topic create NAME [--partitions N] [--replication-factor R] [--config k=v ...]</c>.</summary>
internal sealed class TopicCreateCommand : BrokerCommand<TopicCreateCommand.Settings>
{
    protected override async Task<int> RunAsync(ClusterClient cluster, Settings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        BrokerConnection controller = await cluster.GetControllerAsync(cancellationToken).ConfigureAwait(false);
        short version = controller.Versions.Require(ApiKey.CreateTopics);
        // Before v4 the broker-default marker (-1) is not accepted, so old brokers get explicit values.
        int partitions = settings.Partitions ?? (version >= 4 ? -1 : 1);
        short replication = settings.ReplicationFactor ?? (short)(version >= 4 ? -1 : 1);
        var topic = new CreateTopicsRequest.Topic
        {
            Name = settings.Name,
            NumPartitions = partitions,
            ReplicationFactor = replication,
        };
        foreach (KeyValuePair<string, string> config in settings.ParseConfigs())
        {
            topic.Configs.Add(new CreateTopicsRequest.Config { Name = config.Key, Value = config.Value });
        }
        var request = new CreateTopicsRequest { TimeoutMs = settings.RequestTimeoutMs };
        request.Topics.Add(topic);
        CreateTopicsResponse response = await controller.SendAsync(ApiKey.CreateTopics, version, request.Write,
            CreateTopicsResponse.Read, cancellationToken).ConfigureAwait(false);
        CreateTopicsResponse.Topic result = TopicResults.Single(response.Topics, t => t.Name, settings.Name, "CreateTopics");
        if (result.ErrorCode != ErrorCode.None)
        {
            throw new BrokerErrorException(result.ErrorCode, $"cannot create topic '{settings.Name}'", result.ErrorMessage);
        }

        // Wait until every partition has a leader, so a script can produce right after this command returns.
        MetadataResponse.Topic created = await cluster.GetTopicAsync(settings.Name, cancellationToken).ConfigureAwait(false);
        int replicas = created.Partitions.Count > 0 ? created.Partitions[0].ReplicaNodes.Length : 0;
        if (output.IsJson)
        {
            CliOutput.WriteJson(new JsonObject
            {
                ["topic"] = settings.Name,
                ["topicId"] = TopicResults.IdOrNull(created.TopicId != default ? created.TopicId : result.TopicId),
                ["partitions"] = created.Partitions.Count,
                ["replicationFactor"] = replicas,
            });
        }
        else
        {
            output.Out.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Created topic [bold]{Markup.Escape(settings.Name)}[/] with {created.Partitions.Count} partition(s), replication factor {replicas}."));
        }
        return ExitCodes.Ok;
    }

    internal sealed class Settings : TopicSettings
    {
        [CommandOption("-p|--partitions <N>")]
        [Description("Number of partitions. Defaults to the broker's num.partitions.")]
        public int? Partitions { get; set; }

        [CommandOption("-r|--replication-factor <N>")]
        [Description("Copies of each partition. Defaults to the broker's default.replication.factor.")]
        public short? ReplicationFactor { get; set; }

        [CommandOption("-c|--config <KEY=VALUE>")]
        [Description("A topic config, e.g. retention.ms=86400000. Repeat for several.")]
        public string[] Configs { get; set; } = [];

        public override ValidationResult Validate()
        {
            if (Partitions is <= 0)
            {
                return ValidationResult.Error("--partitions must be at least 1");
            }
            if (ReplicationFactor is <= 0)
            {
                return ValidationResult.Error("--replication-factor must be at least 1");
            }
            foreach (string config in Configs)
            {
                int eq = config.IndexOf('=', System.StringComparison.Ordinal);
                if (eq <= 0)
                {
                    return ValidationResult.Error($"--config '{config}' is not KEY=VALUE");
                }
            }
            return base.Validate();
        }

        public List<KeyValuePair<string, string>> ParseConfigs()
        {
            var result = new List<KeyValuePair<string, string>>(Configs.Length);
            foreach (string config in Configs)
            {
                int eq = config.IndexOf('=', System.StringComparison.Ordinal);
                result.Add(new KeyValuePair<string, string>(config[..eq], config[(eq + 1)..]));
            }
            return result;
        }
    }
}
