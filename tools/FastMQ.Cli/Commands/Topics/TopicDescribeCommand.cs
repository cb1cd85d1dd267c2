using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Cli.Output;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;
using Spectre.Console;

namespace FastMQ.Cli.Commands.Topics;

/// <summary>
/// <c>fastmq topic describe NAME</c>: partitions with leader, replicas and log start/end offsets (ListOffsets), and the
/// topic's configs (DescribeConfigs, when the broker offers it).
/// </summary>
internal sealed class TopicDescribeCommand : BrokerCommand<TopicSettings>
{
    protected override async Task<int> RunAsync(ClusterClient cluster, TopicSettings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        MetadataResponse.Topic topic = await cluster.GetTopicAsync(settings.Name, cancellationToken).ConfigureAwait(false);
        var partitions = new List<MetadataResponse.Partition>(topic.Partitions);
        partitions.Sort(static (a, b) => a.PartitionIndex.CompareTo(b.PartitionIndex));
        var indexes = new List<int>(partitions.Count);
        foreach (MetadataResponse.Partition p in partitions)
        {
            indexes.Add(p.PartitionIndex);
        }
        BrokerConnection any = await cluster.GetAnyAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<int, ListOffsetsResponse.Partition>? start = null;
        Dictionary<int, ListOffsetsResponse.Partition>? end = null;
        if (any.Versions.TryGetVersion(ApiKey.ListOffsets, out _) && indexes.Count > 0)
        {
            start = await cluster.ListOffsetsAsync(topic, indexes, ListOffsetsRequest.EarliestTimestamp, cancellationToken)
                .ConfigureAwait(false);
            end = await cluster.ListOffsetsAsync(topic, indexes, ListOffsetsRequest.LatestTimestamp, cancellationToken)
                .ConfigureAwait(false);
        }
        List<DescribeConfigsResponse.Config>? configs = null;
        if (any.Versions.TryGetVersion(ApiKey.DescribeConfigs, out _))
        {
            configs = await DescribeConfigsAsync(any, settings.Name, cancellationToken).ConfigureAwait(false);
        }

        if (output.IsJson)
        {
            CliOutput.WriteJson(ToJson(topic, partitions, start, end, configs));
        }
        else
        {
            WriteTables(output.Out, topic, partitions, start, end, configs);
        }
        return ExitCodes.Ok;
    }

    private static async Task<List<DescribeConfigsResponse.Config>> DescribeConfigsAsync(BrokerConnection connection,
        string name, CancellationToken cancellationToken)
    {
        var request = new DescribeConfigsRequest();
        request.Resources.Add(new DescribeConfigsRequest.Resource
        {
            ResourceType = DescribeConfigsRequest.TopicResourceType,
            ResourceName = name,
        });
        DescribeConfigsResponse response = await connection.SendAsync(ApiKey.DescribeConfigs, request.Write,
            DescribeConfigsResponse.Read, cancellationToken).ConfigureAwait(false);
        DescribeConfigsResponse.Result result = TopicResults.Single(response.Results, r => r.ResourceName, name, "DescribeConfigs");
        if (result.ErrorCode != ErrorCode.None)
        {
            throw new BrokerErrorException(result.ErrorCode, $"cannot describe the configs of topic '{name}'", result.ErrorMessage);
        }
        var configs = new List<DescribeConfigsResponse.Config>(result.Configs);
        configs.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return configs;
    }

    private static JsonObject ToJson(MetadataResponse.Topic topic, List<MetadataResponse.Partition> partitions,
        Dictionary<int, ListOffsetsResponse.Partition>? start, Dictionary<int, ListOffsetsResponse.Partition>? end,
        List<DescribeConfigsResponse.Config>? configs)
    {
        var partitionArray = new JsonArray();
        foreach (MetadataResponse.Partition p in partitions)
        {
            var entry = new JsonObject
            {
                ["partition"] = p.PartitionIndex,
                ["leader"] = p.LeaderId,
                ["leaderEpoch"] = p.LeaderEpoch,
                ["replicas"] = ToArray(p.ReplicaNodes),
                ["isr"] = ToArray(p.IsrNodes),
                ["logStartOffset"] = OffsetOrNull(start, p.PartitionIndex),
                ["logEndOffset"] = OffsetOrNull(end, p.PartitionIndex),
            };
            string? error = OffsetError(start, p.PartitionIndex) ?? OffsetError(end, p.PartitionIndex);
            if (error is not null)
            {
                entry["error"] = error;
            }
            partitionArray.Add(entry);
        }
        JsonArray? configArray = null;
        if (configs is not null)
        {
            configArray = [];
            foreach (DescribeConfigsResponse.Config c in configs)
            {
                configArray.Add(new JsonObject
                {
                    ["name"] = c.Name,
                    ["value"] = c.IsSensitive ? null : c.Value,
                    ["source"] = ConfigSourceName(c.ConfigSource),
                    ["readOnly"] = c.ReadOnly,
                    ["sensitive"] = c.IsSensitive,
                });
            }
        }
        return new JsonObject
        {
            ["topic"] = topic.Name,
            ["topicId"] = TopicResults.IdOrNull(topic.TopicId),
            ["internal"] = topic.IsInternal,
            ["partitions"] = partitionArray,
            ["configs"] = configArray,
        };
    }

    private static void WriteTables(IAnsiConsole console, MetadataResponse.Topic topic,
        List<MetadataResponse.Partition> partitions, Dictionary<int, ListOffsetsResponse.Partition>? start,
        Dictionary<int, ListOffsetsResponse.Partition>? end, List<DescribeConfigsResponse.Config>? configs)
    {
        string id = topic.TopicId == Guid.Empty ? "" : $"  [grey]id {topic.TopicId}[/]";
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Topic [bold]{Markup.Escape(topic.Name ?? "?")}[/]  {partitions.Count} partition(s){id}"));
        var table = new Table().AddColumn(new TableColumn("Partition").RightAligned()).AddColumn("Leader")
            .AddColumn("Replicas").AddColumn("ISR").AddColumn(new TableColumn("Log start").RightAligned())
            .AddColumn(new TableColumn("Log end").RightAligned()).AddColumn(new TableColumn("Records").RightAligned());
        foreach (MetadataResponse.Partition p in partitions)
        {
            JsonNode? s = OffsetOrNull(start, p.PartitionIndex);
            JsonNode? e = OffsetOrNull(end, p.PartitionIndex);
            string records = s is null || e is null
                ? (OffsetError(start, p.PartitionIndex) ?? OffsetError(end, p.PartitionIndex) ?? "-")
                : (e.GetValue<long>() - s.GetValue<long>()).ToString(CultureInfo.InvariantCulture);
            table.AddRow(
                p.PartitionIndex.ToString(CultureInfo.InvariantCulture),
                p.LeaderId.ToString(CultureInfo.InvariantCulture),
                string.Join(',', p.ReplicaNodes),
                string.Join(',', p.IsrNodes),
                s?.ToJsonString() ?? "-",
                e?.ToJsonString() ?? "-",
                Markup.Escape(records));
        }
        console.Write(table);
        if (configs is null)
        {
            console.MarkupLine("[grey]Configs: the broker does not offer DescribeConfigs.[/]");
            return;
        }
        var configTable = new Table().AddColumn("Config").AddColumn("Value").AddColumn("Source");
        foreach (DescribeConfigsResponse.Config c in configs)
        {
            string value = c.IsSensitive ? "(sensitive)" : c.Value ?? "(null)";
            string source = ConfigSourceName(c.ConfigSource);
            bool isDefault = c.ConfigSource == 5;
            configTable.AddRow(
                isDefault ? $"[grey]{Markup.Escape(c.Name)}[/]" : Markup.Escape(c.Name),
                isDefault ? $"[grey]{Markup.Escape(value)}[/]" : Markup.Escape(value),
                isDefault ? $"[grey]{source}[/]" : source);
        }
        console.Write(configTable);
    }

    private static JsonArray ToArray(int[] values)
    {
        var array = new JsonArray();
        foreach (int v in values)
        {
            array.Add(v);
        }
        return array;
    }

    private static JsonNode? OffsetOrNull(Dictionary<int, ListOffsetsResponse.Partition>? offsets, int partition) =>
        offsets is not null && offsets.TryGetValue(partition, out ListOffsetsResponse.Partition? p) && p.ErrorCode == ErrorCode.None
            ? JsonValue.Create(p.Offset)
            : null;

    private static string? OffsetError(Dictionary<int, ListOffsetsResponse.Partition>? offsets, int partition) =>
        offsets is not null && offsets.TryGetValue(partition, out ListOffsetsResponse.Partition? p) && p.ErrorCode != ErrorCode.None
            ? KafkaErrorNames.Of(p.ErrorCode)
            : null;

    /// <summary>Kafka's names for DescribeConfigs ConfigSource values.</summary>
    private static string ConfigSourceName(sbyte source) => source switch
    {
        1 => "DYNAMIC_TOPIC_CONFIG",
        2 => "DYNAMIC_BROKER_CONFIG",
        3 => "DYNAMIC_DEFAULT_BROKER_CONFIG",
        4 => "STATIC_BROKER_CONFIG",
        5 => "DEFAULT_CONFIG",
        6 => "DYNAMIC_BROKER_LOGGER_CONFIG",
        _ => "UNKNOWN",
    };
}
