using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Cli.Output;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Records;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Cli.Commands;

/// <summary>
/// <c>fastmq consume TOPIC</c>: a fetch loop over the chosen partitions from their start offsets, without a consumer
/// group. Stops after <c>-n</c> records, when <c>--timeout-ms</c> passes without new data, or on Ctrl+C.
/// </summary>
/// <remarks>
/// Table mode writes each record's bytes as they are (value, or key SEP value) followed by a newline, so binary-safe
/// round trips with <c>produce</c> work; a null key or value prints as <c>null</c>. JSON mode prints one document
/// with every record (key and value decoded as UTF-8) and the next offset of each partition.
/// </remarks>
internal sealed class ConsumeCommand : BrokerCommand<ConsumeCommand.Settings>
{
    private const int DefaultPartitionMaxBytes = 1024 * 1024;
    private const int LargestPartitionMaxBytes = 64 * 1024 * 1024;
    private const int MaxWaitMs = 500;
    private const int MaxMetadataRetries = 25;

    private static readonly byte[] NullLiteral = "null"u8.ToArray();

    protected override async Task<int> RunAsync(ClusterClient cluster, Settings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        MetadataResponse.Topic topic = await cluster.GetTopicAsync(settings.Topic, cancellationToken).ConfigureAwait(false);
        var partitions = new List<int>();
        if (settings.Partition is int only)
        {
            _ = ClusterClient.LeaderOf(topic, only);
            partitions.Add(only);
        }
        else
        {
            foreach (MetadataResponse.Partition p in topic.Partitions)
            {
                partitions.Add(p.PartitionIndex);
            }
            partitions.Sort();
        }

        var positions = new SortedDictionary<int, long>();
        if (settings.Offset is long start)
        {
            foreach (int p in partitions)
            {
                positions[p] = start;
            }
        }
        else
        {
            await ResetAsync(cluster, topic, partitions, settings.FromBeginning, positions, cancellationToken).ConfigureAwait(false);
        }

        using var sink = new RecordSink(settings, output);
        var loop = new FetchLoop(cluster, settings, sink, positions, topic);
        try
        {
            await loop.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: a normal way to stop consuming; print what was read.
        }
        sink.Complete(positions);
        return ExitCodes.Ok;
    }

    private static async Task ResetAsync(ClusterClient cluster, MetadataResponse.Topic topic, List<int> partitions,
        bool earliest, IDictionary<int, long> positions, CancellationToken cancellationToken)
    {
        Dictionary<int, ListOffsetsResponse.Partition> offsets = await cluster.ListOffsetsAsync(topic, partitions,
            earliest ? ListOffsetsRequest.EarliestTimestamp : ListOffsetsRequest.LatestTimestamp, cancellationToken)
            .ConfigureAwait(false);
        foreach (int p in partitions)
        {
            ListOffsetsResponse.Partition result = offsets[p];
            if (result.ErrorCode != ErrorCode.None)
            {
                throw new BrokerErrorException(result.ErrorCode, $"cannot find the start offset of partition {p} of '{topic.Name}'");
            }
            positions[p] = result.Offset;
        }
    }

    /// <summary>Fetch requests, one per partition leader per round, until a stop condition holds.</summary>
    private sealed class FetchLoop(ClusterClient cluster, Settings settings, RecordSink sink,
        SortedDictionary<int, long> positions, MetadataResponse.Topic topic)
    {
        private readonly Dictionary<int, int> _partitionMaxBytes = [];
        private MetadataResponse.Topic _topic = topic;
        private int _metadataRetries;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var idle = Stopwatch.StartNew();
            while (!sink.IsFull)
            {
                long idleMs = idle.ElapsedMilliseconds;
                if (settings.TimeoutMs is int timeout && idleMs >= timeout)
                {
                    return;
                }
                int maxWait = settings.TimeoutMs is int t ? (int)Math.Clamp(t - idleMs, 1, MaxWaitMs) : MaxWaitMs;
                var round = Stopwatch.StartNew();
                long before = sink.Count;
                bool refresh = false;
                foreach (KeyValuePair<int, List<int>> leader in GroupByLeader())
                {
                    refresh |= await FetchFromAsync(leader.Key, leader.Value, maxWait, cancellationToken).ConfigureAwait(false);
                    if (sink.IsFull)
                    {
                        break;
                    }
                }
                sink.Flush();
                if (sink.Count > before)
                {
                    idle.Restart();
                    _metadataRetries = 0;
                }
                if (refresh)
                {
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                }
                else if (sink.Count == before && round.ElapsedMilliseconds < maxWait / 2)
                {
                    // The broker answered at once with nothing (it does not park fetches): do not spin.
                    await Task.Delay(Math.Min(maxWait, 50), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private SortedDictionary<int, List<int>> GroupByLeader()
        {
            var byLeader = new SortedDictionary<int, List<int>>();
            foreach (int p in positions.Keys)
            {
                int leader = ClusterClient.LeaderOf(_topic, p);
                if (!byLeader.TryGetValue(leader, out List<int>? list))
                {
                    list = [];
                    byLeader[leader] = list;
                }
                list.Add(p);
            }
            return byLeader;
        }

        /// <summary>One Fetch to one leader; returns true when metadata should be refreshed before the next round.</summary>
        private async Task<bool> FetchFromAsync(int leader, List<int> partitions, int maxWaitMs,
            CancellationToken cancellationToken)
        {
            BrokerConnection connection = await cluster.GetNodeAsync(leader, cancellationToken).ConfigureAwait(false);
            var requestTopic = new FetchRequest.Topic { Name = settings.Topic };
            foreach (int p in partitions)
            {
                requestTopic.Partitions.Add(new FetchRequest.Partition
                {
                    PartitionIndex = p,
                    FetchOffset = positions[p],
                    PartitionMaxBytes = _partitionMaxBytes.GetValueOrDefault(p, DefaultPartitionMaxBytes),
                });
            }
            var request = new FetchRequest { MaxWaitMs = maxWaitMs, MinBytes = 1, MaxBytes = 50 * 1024 * 1024 };
            request.Topics.Add(requestTopic);
            FetchResponse response = await connection.SendAsync(ApiKey.Fetch, request.Write, FetchResponse.Read,
                cancellationToken).ConfigureAwait(false);
            if (response.ErrorCode != ErrorCode.None)
            {
                throw new BrokerErrorException(response.ErrorCode, $"Fetch from broker {leader}");
            }
            var results = new SortedDictionary<int, FetchResponse.Partition>();
            foreach (FetchResponse.Topic t in response.Topics)
            {
                if (t.Name == settings.Topic)
                {
                    foreach (FetchResponse.Partition p in t.Partitions)
                    {
                        results[p.PartitionIndex] = p;
                    }
                }
            }
            bool refresh = false;
            foreach (int p in partitions)
            {
                if (sink.IsFull)
                {
                    break;
                }
                if (results.TryGetValue(p, out FetchResponse.Partition? result))
                {
                    refresh |= await HandleAsync(p, result, cancellationToken).ConfigureAwait(false);
                }
            }
            return refresh;
        }

        private async Task<bool> HandleAsync(int partition, FetchResponse.Partition result, CancellationToken cancellationToken)
        {
            if (result.ErrorCode == ErrorCode.OffsetOutOfRange && settings.Offset is null)
            {
                // Retention or deletion moved the log start past our position: start again from the chosen end.
                await ResetAsync(cluster, _topic, [partition], settings.FromBeginning, positions, cancellationToken)
                    .ConfigureAwait(false);
                return false;
            }
            if (KafkaErrorNames.IsRetriableMetadataError(result.ErrorCode) && ++_metadataRetries < MaxMetadataRetries)
            {
                return true;
            }
            if (result.ErrorCode != ErrorCode.None)
            {
                throw new BrokerErrorException(result.ErrorCode,
                    $"cannot fetch partition {partition} of topic '{settings.Topic}' at offset {positions[partition]}");
            }
            byte[]? records = result.Records;
            if (records is null || records.Length == 0)
            {
                return false;
            }
            long position = positions[partition];
            long next = sink.Write(partition, records, position, out int batches);
            if (batches == 0)
            {
                // Only a partial batch fit: ask for more bytes next time (brokers before KIP-74 cut the first batch too).
                int current = _partitionMaxBytes.GetValueOrDefault(partition, DefaultPartitionMaxBytes);
                _partitionMaxBytes[partition] = Math.Min(current * 2, LargestPartitionMaxBytes);
            }
            positions[partition] = next;
            return false;
        }

        private async Task RefreshAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            _topic = await cluster.GetTopicAsync(settings.Topic, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Where records go: raw lines on stdout, or a JSON document written at the end.</summary>
    private sealed class RecordSink : IDisposable
    {
        private readonly Settings _settings;
        private readonly CliOutput _output;
        private readonly RecordDecompressor _decompressor = new();
        private readonly Stream? _stdout;
        private readonly byte[] _separator;
        private readonly JsonArray? _json;

        public RecordSink(Settings settings, CliOutput output)
        {
            _settings = settings;
            _output = output;
            _separator = Encoding.UTF8.GetBytes(settings.KeySeparator ?? "\t");
            if (output.IsJson)
            {
                _json = [];
            }
            else
            {
                _stdout = new BufferedStream(Console.OpenStandardOutput(), 64 * 1024);
            }
        }

        public long Count { get; private set; }

        public bool IsFull => _settings.MaxMessages is int max && Count >= max;

        /// <summary>Writes the records at or after <paramref name="position"/>; returns the next offset to fetch.</summary>
        public long Write(int partition, byte[] records, long position, out int batches)
        {
            var reader = new FetchedRecordsReader(records, position, _decompressor);
            while (!IsFull && reader.TryReadNext(out Record record, out long offset, out long timestampMs))
            {
                Emit(partition, record, offset, timestampMs);
                Count++;
                position = offset + 1;
            }
            batches = reader.BatchesRead;
            // Stopped early at the record limit: the rest of the batch is not consumed.
            return IsFull ? position : Math.Max(position, reader.NextOffset);
        }

        public void Flush() => _stdout?.Flush();

        public void Complete(SortedDictionary<int, long> positions)
        {
            if (_json is null)
            {
                _stdout!.Flush();
                _output.Err.MarkupLine($"[grey]Consumed {Count} record(s).[/]");
                return;
            }
            var next = new JsonArray();
            foreach (KeyValuePair<int, long> p in positions)
            {
                next.Add(new JsonObject { ["partition"] = p.Key, ["offset"] = p.Value });
            }
            CliOutput.WriteJson(new JsonObject
            {
                ["topic"] = _settings.Topic,
                ["count"] = Count,
                ["records"] = _json,
                ["nextOffsets"] = next,
            });
        }

        public void Dispose()
        {
            _decompressor.Dispose();
            _stdout?.Dispose();
        }

        private void Emit(int partition, in Record record, long offset, long timestampMs)
        {
            if (_json is not null)
            {
                _json.Add(new JsonObject
                {
                    ["partition"] = partition,
                    ["offset"] = offset,
                    ["timestamp"] = timestampMs,
                    ["key"] = record.IsKeyNull ? null : Encoding.UTF8.GetString(record.Key),
                    ["value"] = record.IsValueNull ? null : Encoding.UTF8.GetString(record.Value),
                });
                return;
            }
            Stream stdout = _stdout!;
            if (_settings.ShouldPrintKey)
            {
                stdout.Write(record.IsKeyNull ? NullLiteral : record.Key);
                stdout.Write(_separator);
            }
            stdout.Write(record.IsValueNull ? NullLiteral : record.Value);
            stdout.WriteByte((byte)'\n');
        }
    }

    internal sealed class Settings : GlobalSettings
    {
        [CommandArgument(0, "<TOPIC>")]
        [Description("Topic to read.")]
        public string Topic { get; set; } = "";

        [CommandOption("--from-beginning")]
        [Description("Start at each partition's log start offset.")]
        public bool FromBeginning { get; set; }

        [CommandOption("--from-end")]
        [Description("Start at each partition's end: only records produced from now on (the default).")]
        public bool FromEnd { get; set; }

        [CommandOption("--offset <N>")]
        [Description("Start at offset N in each partition read.")]
        public long? Offset { get; set; }

        [CommandOption("-p|--partition <P>")]
        [Description("Read only this partition.")]
        public int? Partition { get; set; }

        [CommandOption("-n|--max-messages <COUNT>")]
        [Description("Stop after COUNT records.")]
        public int? MaxMessages { get; set; }

        [CommandOption("--timeout-ms <MS>")]
        [Description("Stop when no new record arrives for MS milliseconds. Without it (and -n), runs until Ctrl+C.")]
        public int? TimeoutMs { get; set; }

        [CommandOption("--print-key")]
        [Description("Print KEY SEP VALUE instead of the value alone.")]
        public bool PrintKey { get; set; }

        [CommandOption("--key-separator <SEP>")]
        [Description("Separator between key and value; implies --print-key. Defaults to a tab.")]
        public string? KeySeparator { get; set; }

        /// <summary>Keys are printed when asked for directly or by giving a separator.</summary>
        public bool ShouldPrintKey => PrintKey || KeySeparator is not null;

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Topic))
            {
                return ValidationResult.Error("the topic name must not be empty");
            }
            int starts = (FromBeginning ? 1 : 0) + (FromEnd ? 1 : 0) + (Offset is null ? 0 : 1);
            if (starts > 1)
            {
                return ValidationResult.Error("choose one of --from-beginning, --from-end and --offset");
            }
            if (Offset is < 0)
            {
                return ValidationResult.Error("--offset must not be negative");
            }
            if (Partition is < 0)
            {
                return ValidationResult.Error("--partition must not be negative");
            }
            if (MaxMessages is <= 0)
            {
                return ValidationResult.Error("--max-messages must be at least 1");
            }
            if (TimeoutMs is <= 0)
            {
                return ValidationResult.Error("--timeout-ms must be positive");
            }
            if (KeySeparator is { Length: 0 })
            {
                return ValidationResult.Error("--key-separator must not be empty");
            }
            return base.Validate();
        }
    }
}
