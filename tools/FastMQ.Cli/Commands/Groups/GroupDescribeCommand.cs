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

namespace FastMQ.Cli.Commands.Groups;

/// <summary>
/// <c>fastmq group describe GROUP</c>: state, protocol and members (with their decoded partition assignments), then per
/// partition the committed offset, the log end offset (ListOffsets latest), the lag in records, and the lag in seconds:
/// now minus the timestamp of the oldest unconsumed record (the record at the committed offset), 0 without lag.
/// </summary>
internal sealed class GroupDescribeCommand : BrokerCommand<GroupSettings>
{
    protected override async Task<int> RunAsync(ClusterClient cluster, GroupSettings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        BrokerConnection coordinator = await GroupAdmin.GetCoordinatorAsync(cluster, settings.Group, cancellationToken)
            .ConfigureAwait(false);
        DescribeGroupsResponse.DescribedGroup group = await GroupAdmin.DescribeGroupAsync(coordinator, settings.Group,
            cancellationToken).ConfigureAwait(false);
        SortedDictionary<string, SortedDictionary<int, long>> committed = await GroupAdmin.FetchCommittedAsync(coordinator,
            settings.Group, null, null, cancellationToken).ConfigureAwait(false);
        List<MemberView> members = DecodeMembers(group);
        List<PartitionLag> lags = await ComputeLagsAsync(cluster, committed, members, cancellationToken).ConfigureAwait(false);
        if (output.IsJson)
        {
            CliOutput.WriteJson(ToJson(group, members, lags));
        }
        else
        {
            WriteTables(output.Out, group, members, lags);
        }
        return ExitCodes.Ok;
    }

    private static List<MemberView> DecodeMembers(DescribeGroupsResponse.DescribedGroup group)
    {
        var members = new List<MemberView>(group.Members.Count);
        foreach (DescribeGroupsResponse.DescribedGroupMember m in group.Members)
        {
            var assigned = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
            bool decoded = true;
            if (m.MemberAssignment.Length > 0)
            {
                // Only the "consumer" protocol defines the assignment layout; other bytes are shown as undecoded.
                if (group.ProtocolType == "consumer"
                    && ConsumerProtocolAssignment.TryDecode(m.MemberAssignment, out ConsumerProtocolAssignment? assignment))
                {
                    foreach (ConsumerProtocolTopicPartitions tp in assignment.AssignedPartitions)
                    {
                        int[] partitions = [.. tp.Partitions];
                        Array.Sort(partitions);
                        assigned[tp.Topic] = partitions;
                    }
                }
                else
                {
                    decoded = false;
                }
            }
            members.Add(new MemberView(m, assigned, decoded));
        }
        members.Sort(static (a, b) => string.CompareOrdinal(a.Member.MemberId, b.Member.MemberId));
        return members;
    }

    private static async Task<List<PartitionLag>> ComputeLagsAsync(ClusterClient cluster,
        SortedDictionary<string, SortedDictionary<int, long>> committed, List<MemberView> members,
        CancellationToken cancellationToken)
    {
        // Partitions to show: every committed one plus every assigned one (a new member may not have committed yet).
        var wanted = new SortedDictionary<string, SortedDictionary<int, long>>(StringComparer.Ordinal);
        var ownerOf = new Dictionary<(string, int), string>();
        foreach (KeyValuePair<string, SortedDictionary<int, long>> t in committed)
        {
            wanted[t.Key] = new SortedDictionary<int, long>(t.Value);
        }
        foreach (MemberView m in members)
        {
            foreach (KeyValuePair<string, int[]> a in m.Assigned)
            {
                if (!wanted.TryGetValue(a.Key, out SortedDictionary<int, long>? partitions))
                {
                    partitions = [];
                    wanted[a.Key] = partitions;
                }
                foreach (int p in a.Value)
                {
                    partitions.TryAdd(p, GroupAdmin.NoOffset);
                    ownerOf[(a.Key, p)] = m.Member.MemberId;
                }
            }
        }
        var lags = new List<PartitionLag>();
        foreach (KeyValuePair<string, SortedDictionary<int, long>> t in wanted)
        {
            await AddTopicLagsAsync(cluster, t.Key, t.Value, ownerOf, lags, cancellationToken).ConfigureAwait(false);
        }
        return lags;
    }

    private static async Task AddTopicLagsAsync(ClusterClient cluster, string name, SortedDictionary<int, long> offsets,
        Dictionary<(string, int), string> ownerOf, List<PartitionLag> lags, CancellationToken cancellationToken)
    {
        MetadataResponse.Topic topic;
        Dictionary<int, ListOffsetsResponse.Partition> ends;
        try
        {
            topic = await cluster.GetTopicAsync(name, cancellationToken).ConfigureAwait(false);
            ends = await cluster.ListOffsetsAsync(topic, [.. offsets.Keys], ListOffsetsRequest.LatestTimestamp,
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokerErrorException e)
        {
            // A committed offset can outlive its topic; show the row with the reason instead of failing the whole group.
            foreach (KeyValuePair<int, long> o in offsets)
            {
                lags.Add(new PartitionLag(name, o.Key, o.Value, null, null, null, ownerOf.GetValueOrDefault((name, o.Key)), e.ErrorName));
            }
            return;
        }
        long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (KeyValuePair<int, long> o in offsets)
        {
            string? owner = ownerOf.GetValueOrDefault((name, o.Key));
            ListOffsetsResponse.Partition end = ends[o.Key];
            if (end.ErrorCode != ErrorCode.None)
            {
                lags.Add(new PartitionLag(name, o.Key, o.Value, null, null, null, owner, KafkaErrorNames.Of(end.ErrorCode)));
                continue;
            }
            long? lag = null;
            double? lagSeconds = null;
            if (o.Value >= 0)
            {
                lag = Math.Max(0, end.Offset - o.Value);
                lagSeconds = 0;
                if (lag > 0)
                {
                    long? timestampMs = await GroupAdmin.ReadTimestampAtAsync(cluster, topic, o.Key, o.Value,
                        cancellationToken).ConfigureAwait(false);
                    lagSeconds = timestampMs is long ts ? Math.Max(0, nowMs - ts) / 1000.0 : null;
                }
            }
            lags.Add(new PartitionLag(name, o.Key, o.Value, end.Offset, lag, lagSeconds, owner, null));
        }
    }

    private static JsonObject ToJson(DescribeGroupsResponse.DescribedGroup group, List<MemberView> members,
        List<PartitionLag> lags)
    {
        var memberArray = new JsonArray();
        foreach (MemberView m in members)
        {
            JsonArray? assignments = null;
            if (m.Decoded)
            {
                assignments = [];
                foreach (KeyValuePair<string, int[]> a in m.Assigned)
                {
                    var partitions = new JsonArray();
                    foreach (int p in a.Value)
                    {
                        partitions.Add(p);
                    }
                    assignments.Add(new JsonObject { ["topic"] = a.Key, ["partitions"] = partitions });
                }
            }
            memberArray.Add(new JsonObject
            {
                ["memberId"] = m.Member.MemberId,
                ["groupInstanceId"] = m.Member.GroupInstanceId,
                ["clientId"] = m.Member.ClientId,
                ["host"] = m.Member.ClientHost,
                ["assignments"] = assignments,
            });
        }
        var offsetArray = new JsonArray();
        foreach (PartitionLag l in lags)
        {
            var entry = new JsonObject
            {
                ["topic"] = l.Topic,
                ["partition"] = l.Partition,
                ["committedOffset"] = l.Committed >= 0 ? l.Committed : null,
                ["logEndOffset"] = l.LogEnd,
                ["lag"] = l.Lag,
                ["lagSeconds"] = l.LagSeconds,
                ["memberId"] = l.Owner,
            };
            if (l.Error is not null)
            {
                entry["error"] = l.Error;
            }
            offsetArray.Add(entry);
        }
        return new JsonObject
        {
            ["group"] = group.GroupId,
            ["state"] = group.GroupState,
            ["protocolType"] = group.ProtocolType,
            ["protocol"] = group.ProtocolData,
            ["members"] = memberArray,
            ["offsets"] = offsetArray,
        };
    }

    private static void WriteTables(IAnsiConsole console, DescribeGroupsResponse.DescribedGroup group,
        List<MemberView> members, List<PartitionLag> lags)
    {
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Group [bold]{Markup.Escape(group.GroupId)}[/]  state {Markup.Escape(group.GroupState)}  protocol type {Markup.Escape(Dash(group.ProtocolType))}  protocol {Markup.Escape(Dash(group.ProtocolData))}  {members.Count} member(s)"));
        if (members.Count > 0)
        {
            var memberTable = new Table().AddColumn("Member").AddColumn("Client").AddColumn("Host").AddColumn("Assigned");
            foreach (MemberView m in members)
            {
                string assigned = m.Decoded ? FormatAssignment(m.Assigned) : "(not a consumer assignment)";
                memberTable.AddRow(Markup.Escape(m.Member.MemberId), Markup.Escape(m.Member.ClientId),
                    Markup.Escape(m.Member.ClientHost), Markup.Escape(assigned));
            }
            console.Write(memberTable);
        }
        if (lags.Count == 0)
        {
            // Kafka answers DescribeGroups for an unknown group with state Dead and no error.
            console.MarkupLine(group.GroupState == "Dead"
                ? "[grey]The group does not exist.[/]"
                : "[grey]No committed offsets and no assigned partitions.[/]");
            return;
        }
        var table = new Table().AddColumn("Topic").AddColumn(new TableColumn("Partition").RightAligned())
            .AddColumn(new TableColumn("Committed").RightAligned()).AddColumn(new TableColumn("Log end").RightAligned())
            .AddColumn(new TableColumn("Lag").RightAligned()).AddColumn(new TableColumn("Lag (s)").RightAligned())
            .AddColumn("Member");
        foreach (PartitionLag l in lags)
        {
            table.AddRow(
                Markup.Escape(l.Topic),
                l.Partition.ToString(CultureInfo.InvariantCulture),
                l.Committed >= 0 ? l.Committed.ToString(CultureInfo.InvariantCulture) : "-",
                l.LogEnd?.ToString(CultureInfo.InvariantCulture) ?? Markup.Escape(l.Error ?? "-"),
                l.Lag?.ToString(CultureInfo.InvariantCulture) ?? "-",
                l.LagSeconds?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(l.Owner ?? "-"));
        }
        console.Write(table);
    }

    private static string FormatAssignment(SortedDictionary<string, int[]> assigned)
    {
        var parts = new List<string>(assigned.Count);
        foreach (KeyValuePair<string, int[]> a in assigned)
        {
            parts.Add($"{a.Key}:{string.Join(',', a.Value)}");
        }
        return parts.Count == 0 ? "-" : string.Join(' ', parts);
    }

    private static string Dash(string value) => value.Length == 0 ? "-" : value;

    /// <summary>A member with its assignment decoded (topic → sorted partitions); Decoded false when the bytes are not one.</summary>
    private sealed record MemberView(DescribeGroupsResponse.DescribedGroupMember Member,
        SortedDictionary<string, int[]> Assigned, bool Decoded);

    /// <summary>One partition's row: committed offset (-1: none), log end, lag in records and seconds, owner, error.</summary>
    private sealed record PartitionLag(string Topic, int Partition, long Committed, long? LogEnd, long? Lag,
        double? LagSeconds, string? Owner, string? Error);
}
