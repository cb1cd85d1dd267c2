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

namespace FastMQ.Cli.Commands;

/// <summary><c>fastmq cluster info</c>: cluster id, controller, brokers, and the API versions the broker offers.</summary>
internal sealed class ClusterInfoCommand : BrokerCommand<GlobalSettings>
{
    protected override async Task<int> RunAsync(ClusterClient cluster, GlobalSettings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        BrokerConnection connection = await cluster.GetAnyAsync(cancellationToken).ConfigureAwait(false);
        MetadataResponse metadata = await cluster.GetMetadataAsync([], cancellationToken).ConfigureAwait(false);
        var brokers = new List<MetadataResponse.Broker>(metadata.Brokers);
        brokers.Sort(static (a, b) => a.NodeId.CompareTo(b.NodeId));
        var apis = new List<ApiVersionRange>(connection.Versions.BrokerRanges);
        apis.Sort(static (a, b) => ((short)a.ApiKey).CompareTo((short)b.ApiKey));

        if (output.IsJson)
        {
            var brokerArray = new JsonArray();
            foreach (MetadataResponse.Broker b in brokers)
            {
                brokerArray.Add(new JsonObject { ["nodeId"] = b.NodeId, ["host"] = b.Host, ["port"] = b.Port, ["rack"] = b.Rack });
            }
            var apiArray = new JsonArray();
            foreach (ApiVersionRange api in apis)
            {
                apiArray.Add(new JsonObject
                {
                    ["apiKey"] = (short)api.ApiKey,
                    ["name"] = ApiName(api.ApiKey),
                    ["minVersion"] = api.MinVersion,
                    ["maxVersion"] = api.MaxVersion,
                    ["usedVersion"] = connection.Versions.TryGetVersion(api.ApiKey, out short used)
                        ? JsonValue.Create(used)
                        : null,
                });
            }
            CliOutput.WriteJson(new JsonObject
            {
                ["bootstrap"] = connection.Endpoint.ToString(),
                ["clusterId"] = metadata.ClusterId,
                ["controllerId"] = metadata.ControllerId,
                ["brokers"] = brokerArray,
                ["apiVersions"] = apiArray,
            });
            return ExitCodes.Ok;
        }

        IAnsiConsole console = output.Out;
        console.MarkupLine($"Cluster id  [bold]{Markup.Escape(metadata.ClusterId ?? "(none)")}[/]");
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Controller  [bold]{metadata.ControllerId}[/]"));
        console.MarkupLine($"Bootstrap   {Markup.Escape(connection.Endpoint.ToString())}");
        var brokerTable = new Table().AddColumn(new TableColumn("Node").RightAligned()).AddColumn("Host")
            .AddColumn(new TableColumn("Port").RightAligned()).AddColumn("Rack");
        foreach (MetadataResponse.Broker b in brokers)
        {
            brokerTable.AddRow(
                b.NodeId.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(b.Host),
                b.Port.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(b.Rack ?? ""));
        }
        console.Write(brokerTable);
        var apiTable = new Table().AddColumn("API").AddColumn(new TableColumn("Key").RightAligned())
            .AddColumn(new TableColumn("Broker versions").RightAligned())
            .AddColumn(new TableColumn("Used by fastmq").RightAligned());
        foreach (ApiVersionRange api in apis)
        {
            apiTable.AddRow(
                ApiName(api.ApiKey),
                ((short)api.ApiKey).ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{api.MinVersion}-{api.MaxVersion}"),
                connection.Versions.TryGetVersion(api.ApiKey, out short used)
                    ? used.ToString(CultureInfo.InvariantCulture)
                    : "-");
        }
        console.Write(apiTable);
        return ExitCodes.Ok;
    }

    private static string ApiName(ApiKey key) =>
        Enum.IsDefined(key) ? key.ToString() : "Api" + ((short)key).ToString(CultureInfo.InvariantCulture);
}
