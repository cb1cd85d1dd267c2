using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using FastMQ.Cli.Output;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;
using FastMQ.Protocol.Records;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FastMQ.Cli.Commands;

/// <summary>
/// <c>fastmq produce TOPIC</c>: one record per stdin line. Lines are batched: whatever is already read (up to a size
/// limit) goes out in one Produce request, so piped input is sent in large batches while lines typed by hand go out
/// as they are entered.
/// </summary>
/// <remarks>
/// Partition choice: <c>--partition</c> if given; else the key's murmur2 hash (Kafka's default, so keys land where
/// Kafka's own tools put them); else one partition per request, rotating. Acks are "all".
/// </remarks>
internal sealed class ProduceCommand : BrokerCommand<ProduceCommand.Settings>
{
    /// <summary>Records per request: bounds memory and the size of a retried request.</summary>
    private const int MaxRecordsPerRequest = 5000;

    /// <summary>Uncompressed bytes per request, under Kafka's default 1 MiB max.message.bytes for one batch.</summary>
    private const int MaxBytesPerRequest = 900 * 1024;

    private const int MaxAttempts = 5;

    protected override async Task<int> RunAsync(ClusterClient cluster, Settings settings, CliOutput output,
        CancellationToken cancellationToken)
    {
        using var state = new ProduceState(cluster, settings,
            await cluster.GetTopicAsync(settings.Topic, cancellationToken).ConfigureAwait(false));
        if (settings.Partition is int fixedPartition)
        {
            _ = ClusterClient.LeaderOf(state.Topic, fixedPartition);
        }

        var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(MaxRecordsPerRequest * 2)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        using var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false), false, 64 * 1024);
        Task reading = ReadLinesAsync(stdin, lines.Writer, cancellationToken);
        bool interrupted = false;
        try
        {
            var pending = new List<PendingRecord>(256);
            while (await lines.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                pending.Clear();
                int bytes = 0;
                while (pending.Count < MaxRecordsPerRequest && bytes < MaxBytesPerRequest
                    && lines.Reader.TryRead(out string? line))
                {
                    PendingRecord record = state.Parse(line);
                    bytes += (record.Key?.Length ?? 0) + record.Value.Length + 16;
                    pending.Add(record);
                }
                await state.SendAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            await reading.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: report what was acknowledged so far.
            interrupted = true;
        }
        state.WriteSummary(output, interrupted);
        return ExitCodes.Ok;
    }

    private static async Task ReadLinesAsync(StreamReader input, ChannelWriter<string> writer,
        CancellationToken cancellationToken)
    {
        try
        {
            while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            }
            writer.Complete();
        }
        catch (Exception e)
        {
            writer.Complete(e);
        }
    }

    private readonly record struct PendingRecord(byte[]? Key, byte[] Value, long TimestampMs);

    /// <summary>What one produce run knows and has sent.</summary>
    private sealed class ProduceState(ClusterClient cluster, Settings settings, MetadataResponse.Topic topic) : IDisposable
    {
        private readonly SortedDictionary<int, PartitionStats> _stats = [];
        private readonly RecordBatchBuilder _builder = new();
        private long _lineNumber;
        private int _nextStickyPartition;

        public MetadataResponse.Topic Topic { get; private set; } = topic;

        public long Produced { get; private set; }

        public void Dispose() => _builder.Dispose();

        public PendingRecord Parse(string line)
        {
            _lineNumber++;
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (settings.KeySeparator is null)
            {
                return new PendingRecord(null, Encoding.UTF8.GetBytes(line), now);
            }
            int at = line.IndexOf(settings.KeySeparator, StringComparison.Ordinal);
            if (at < 0)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"line {_lineNumber} has no key separator '{settings.KeySeparator}' ({Produced} record(s) before it were sent)"));
            }
            return new PendingRecord(
                Encoding.UTF8.GetBytes(line[..at]),
                Encoding.UTF8.GetBytes(line[(at + settings.KeySeparator.Length)..]),
                now);
        }

        public async Task SendAsync(List<PendingRecord> records, CancellationToken cancellationToken)
        {
            if (records.Count == 0)
            {
                return;
            }
            var byPartition = new SortedDictionary<int, List<PendingRecord>>();
            int partitionCount = Topic.Partitions.Count;
            int sticky = _nextStickyPartition++ % partitionCount;
            foreach (PendingRecord r in records)
            {
                int partition = settings.Partition
                    ?? (r.Key is null ? sticky : KeyPartitioner.PartitionFor(r.Key, partitionCount));
                if (!byPartition.TryGetValue(partition, out List<PendingRecord>? list))
                {
                    list = [];
                    byPartition[partition] = list;
                }
                list.Add(r);
            }
            var batches = new Dictionary<int, (byte[] Batch, int Count)>();
            foreach (KeyValuePair<int, List<PendingRecord>> entry in byPartition)
            {
                batches[entry.Key] = (BuildBatch(entry.Value), entry.Value.Count);
            }
            await SendBatchesAsync(batches, cancellationToken).ConfigureAwait(false);
        }

        public void WriteSummary(CliOutput output, bool interrupted)
        {
            if (output.IsJson)
            {
                var partitions = new JsonArray();
                foreach (KeyValuePair<int, PartitionStats> s in _stats)
                {
                    partitions.Add(new JsonObject
                    {
                        ["partition"] = s.Key,
                        ["records"] = s.Value.Records,
                        ["firstOffset"] = s.Value.FirstOffset,
                        ["lastOffset"] = s.Value.LastOffset,
                    });
                }
                CliOutput.WriteJson(new JsonObject
                {
                    ["topic"] = settings.Topic,
                    ["records"] = Produced,
                    ["interrupted"] = interrupted,
                    ["partitions"] = partitions,
                });
                return;
            }
            output.Out.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Produced {Produced} record(s) to [bold]{Markup.Escape(settings.Topic)}[/]{(interrupted ? " (interrupted)" : "")}."));
            if (_stats.Count == 0)
            {
                return;
            }
            var table = new Table().AddColumn(new TableColumn("Partition").RightAligned())
                .AddColumn(new TableColumn("Records").RightAligned())
                .AddColumn(new TableColumn("First offset").RightAligned())
                .AddColumn(new TableColumn("Last offset").RightAligned());
            foreach (KeyValuePair<int, PartitionStats> s in _stats)
            {
                table.AddRow(
                    s.Key.ToString(CultureInfo.InvariantCulture),
                    s.Value.Records.ToString(CultureInfo.InvariantCulture),
                    s.Value.FirstOffset.ToString(CultureInfo.InvariantCulture),
                    s.Value.LastOffset.ToString(CultureInfo.InvariantCulture));
            }
            output.Out.Write(table);
        }

        private byte[] BuildBatch(List<PendingRecord> records)
        {
            _builder.Reset(new RecordBatchOptions { Compression = settings.Codec });
            foreach (PendingRecord r in records)
            {
                _builder.Append(r.TimestampMs, r.Key, r.Value);
            }
            var batch = new byte[_builder.Seal()];
            _builder.TryWriteTo(batch, out _);
            return batch;
        }

        private async Task SendBatchesAsync(Dictionary<int, (byte[] Batch, int Count)> batches,
            CancellationToken cancellationToken)
        {
            for (int attempt = 1; batches.Count > 0; attempt++)
            {
                var byLeader = new Dictionary<int, List<int>>();
                foreach (int partition in batches.Keys)
                {
                    int leader = ClusterClient.LeaderOf(Topic, partition);
                    if (!byLeader.TryGetValue(leader, out List<int>? list))
                    {
                        list = [];
                        byLeader[leader] = list;
                    }
                    list.Add(partition);
                }
                var retry = new Dictionary<int, (byte[] Batch, int Count)>();
                foreach (KeyValuePair<int, List<int>> entry in byLeader)
                {
                    await SendToLeaderAsync(entry.Key, entry.Value, batches, retry, attempt, cancellationToken)
                        .ConfigureAwait(false);
                }
                if (retry.Count > 0)
                {
                    // Leadership moved or the topic is still being set up: wait a little and look again.
                    await Task.Delay(200 * attempt, cancellationToken).ConfigureAwait(false);
                    Topic = await cluster.GetTopicAsync(settings.Topic, cancellationToken).ConfigureAwait(false);
                }
                batches = retry;
            }
        }

        private async Task SendToLeaderAsync(int leader, List<int> partitions,
            Dictionary<int, (byte[] Batch, int Count)> batches, Dictionary<int, (byte[] Batch, int Count)> retry,
            int attempt, CancellationToken cancellationToken)
        {
            BrokerConnection connection = await cluster.GetNodeAsync(leader, cancellationToken).ConfigureAwait(false);
            short version = connection.Versions.Require(ApiKey.Produce);
            if (settings.Codec == CompressionCodec.Zstd && version < 7)
            {
                throw new BrokerProtocolException(string.Create(CultureInfo.InvariantCulture,
                    $"the broker's highest Produce version is {version}; zstd batches need version 7 or later"));
            }
            var requestTopic = new ProduceRequest.Topic { Name = settings.Topic };
            foreach (int p in partitions)
            {
                requestTopic.Partitions.Add(new ProduceRequest.Partition { Index = p, Records = batches[p].Batch });
            }
            var request = new ProduceRequest { Acks = -1, TimeoutMs = settings.RequestTimeoutMs };
            request.Topics.Add(requestTopic);
            ProduceResponse response = await connection.SendAsync(ApiKey.Produce, version, request.Write,
                ProduceResponse.Read, cancellationToken).ConfigureAwait(false);
            var answered = new HashSet<int>();
            foreach (ProduceResponse.Topic t in response.Topics)
            {
                if (t.Name != settings.Topic)
                {
                    continue;
                }
                foreach (ProduceResponse.Partition p in t.Partitions)
                {
                    if (!batches.TryGetValue(p.Index, out (byte[] Batch, int Count) sent) || !answered.Add(p.Index))
                    {
                        continue;
                    }
                    if (p.ErrorCode == ErrorCode.None)
                    {
                        Record(p.Index, p.BaseOffset, sent.Count);
                    }
                    else if (KafkaErrorNames.IsRetriableMetadataError(p.ErrorCode) && attempt < MaxAttempts)
                    {
                        retry[p.Index] = sent;
                    }
                    else
                    {
                        throw new BrokerErrorException(p.ErrorCode,
                            $"cannot produce to partition {p.Index} of topic '{settings.Topic}'", p.ErrorMessage);
                    }
                }
            }
            foreach (int p in partitions)
            {
                if (!answered.Contains(p))
                {
                    throw new BrokerProtocolException($"the Produce response has no result for partition {p} of '{settings.Topic}'");
                }
            }
        }

        private void Record(int partition, long baseOffset, int count)
        {
            if (!_stats.TryGetValue(partition, out PartitionStats? stats))
            {
                stats = new PartitionStats { FirstOffset = baseOffset };
                _stats[partition] = stats;
            }
            stats.Records += count;
            stats.LastOffset = baseOffset + count - 1;
            Produced += count;
        }
    }

    private sealed class PartitionStats
    {
        public long Records { get; set; }

        public long FirstOffset { get; set; }

        public long LastOffset { get; set; }
    }

    internal sealed class Settings : GlobalSettings
    {
        [CommandArgument(0, "<TOPIC>")]
        [Description("Topic to write to.")]
        public string Topic { get; set; } = "";

        [CommandOption("--key-separator <SEP>")]
        [Description("Each line is KEY SEP VALUE, split at the first SEP. Without it lines are values with no key.")]
        public string? KeySeparator { get; set; }

        [CommandOption("-p|--partition <P>")]
        [Description("Send every record to this partition.")]
        public int? Partition { get; set; }

        [CommandOption("--compression <CODEC>")]
        [Description("none, gzip, snappy, lz4 or zstd.")]
        [DefaultValue("none")]
        public string Compression { get; set; } = "none";

        public CompressionCodec Codec => Compression.ToUpperInvariant() switch
        {
            "GZIP" => CompressionCodec.Gzip,
            "SNAPPY" => CompressionCodec.Snappy,
            "LZ4" => CompressionCodec.Lz4,
            "ZSTD" => CompressionCodec.Zstd,
            _ => CompressionCodec.None,
        };

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Topic))
            {
                return ValidationResult.Error("the topic name must not be empty");
            }
            if (KeySeparator is { Length: 0 })
            {
                return ValidationResult.Error("--key-separator must not be empty");
            }
            if (Partition is < 0)
            {
                return ValidationResult.Error("--partition must not be negative");
            }
            if (Compression.ToUpperInvariant() is not ("NONE" or "GZIP" or "SNAPPY" or "LZ4" or "ZSTD"))
            {
                return ValidationResult.Error($"--compression must be none, gzip, snappy, lz4 or zstd, not '{Compression}'");
            }
            return base.Validate();
        }
    }
}
