using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using FastMQ.PerfHarness.Nats;
using FastMQ.Tests.Shared;
using HdrHistogram;

namespace FastMQ.PerfHarness;

/// <summary>
/// fastmq-perf: end-to-end benchmarks of a FastMQ broker through Confluent.Kafka (librdkafka 2.16, bundled). Starts its
/// own broker unless --bootstrap-server is given; prints a live line per second, a summary table, a JSON result and
/// optional PNG plots. Exit code 0 = the run completed without client errors.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "ratio-table")
        {
            return RatioTable.PrintForDirectory(args[1]);
        }
        if (args.Length == 2 && args[0] == "trace-top")
        {
            BrokerTrace.Print(TraceTopFrames.Analyze(args[1], 25));
            return 0;
        }
        HarnessOptions o;
        try
        {
            o = HarnessOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"fastmq-perf: {e.Message}");
            Console.Error.WriteLine(HarnessOptions.Usage);
            return 2;
        }
        BundledLibrdkafka.EnsureLoaded();
        MachineFacts machine = MachineFacts.Read();
        DateTime started = DateTime.UtcNow;
        BrokerHost? host = null;
        try
        {
            bool redis = o.Scenario.StartsWith("redis-", StringComparison.Ordinal);
            bool peer = redis || o.IsNats;
            if (o.BootstrapServer is null && !peer)
            {
                host = BrokerHost.Start(o.ServerDll, o.BrokerArgs);
                Console.WriteLine($"started fastmq-server pid {host.Pid} on {host.BootstrapServers}, data {host.DataDir}");
            }
            string bootstrap = redis ? o.Redis! : o.IsNats ? o.Nats! : o.BootstrapServer ?? host!.BootstrapServers;
            int? brokerPid = host?.Pid ?? o.BrokerPid;
            if (!peer && !(o.Scenario is "consume" or "group-consume" && !o.Preload))
            {
                KafkaSetup.EnsureTopic(bootstrap, o);
            }
            int partitions = peer ? 1 : KafkaSetup.PartitionCount(bootstrap, o.Topic);
            DurabilityFacts durability = redis ? RedisE2eScenario.ProbeDurability(bootstrap)
                : o.IsNats ? NatsScenario.Durability(o) : KafkaSetup.ProbeDurability(bootstrap, o.Topic, o.Acks);
            Console.WriteLine($"{o.Scenario}: {(peer ? o.Scenario[..o.Scenario.IndexOf('-', StringComparison.Ordinal)] + " " + bootstrap : $"topic {o.Topic} ({partitions} partitions)")}, {o.Sizes} messages, client {o.Client}; durability: {durability}");
            var window = new MeasurementWindow(brokerPid, machine);
            ScenarioOutcome outcome;
            LatencyRecorder? latency = null;
            bool worker = o.WorkerIndex >= 0;
            (int firstProducer, int producers) = worker ? MultiProcess.Share(o.Producers, o.Processes, o.WorkerIndex) : (0, o.Producers);
            using var diag = worker ? null : DiagProbe.Start(o, brokerPid);
            using var trace = worker || o.TraceS == 0 || brokerPid is null ? null
                : BrokerTrace.Start(brokerPid.Value, o.WarmupS + 1, o.TraceS, Path.Combine(o.OutDir, $"broker-{brokerPid}-{started:yyyyMMdd-HHmmss}.nettrace"));
            switch (o.Scenario)
            {
                case "produce" or "sustain" when o.Processes > 1 && !worker:
                    latency = new LatencyRecorder();
                    outcome = MultiProcess.Run(o, args, bootstrap, window, latency);
                    break;
                case "produce":
                    var produceLatency = new LatencyRecorder();
                    using (var meter = new ThroughputMeter(worker ? $"produce/w{o.WorkerIndex}" : "produce", () => produceLatency.TakeIntervalLine("send->ack")))
                    {
                        if (worker)
                        {
                            FixedRateSchedule.WaitUntil(MultiProcess.TicksAt(o.StartAtUnixMs));
                        }
                        var produce = new ProduceScenario(o, bootstrap, meter, produceLatency);
                        outcome = produce.Run(o.Count, window, producers, firstProducer);
                        latency = produce.Latency;
                    }
                    break;
                case "sustain":
                    var sustain = new SustainScenario(o, bootstrap);
                    long t0 = worker ? MultiProcess.TicksAt(o.StartAtUnixMs) : System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency / 2;
                    outcome = sustain.Run(window, partitions, firstProducer, producers, t0);
                    latency = sustain.Latency;
                    break;
                case "consume":
                    outcome = new ConsumeScenario(o, bootstrap).Run(window);
                    break;
                case "rebalance":
                    outcome = new GroupScenario(o, bootstrap).RunRebalance(window, partitions);
                    break;
                case "group-consume":
                    outcome = new GroupScenario(o, bootstrap).RunConsume(window, partitions);
                    break;
                case "nats-produce" or "nats-consume" or "nats-e2e":
                    var nats = new NatsScenario(o);
                    outcome = nats.Run(window);
                    latency = o.Scenario == "nats-e2e" ? nats.Latency : null;
                    break;
                case "redis-consume":
                    outcome = new RedisConsumeScenario(o).Run(window);
                    break;
                case "redis-e2e":
                    var redisE2e = new RedisE2eScenario(o);
                    outcome = redisE2e.Run(window);
                    latency = redisE2e.Latency;
                    break;
                default:
                    var e2e = new E2eScenario(o, bootstrap);
                    outcome = e2e.Run(window);
                    latency = e2e.Latency;
                    break;
            }
            if (worker)
            {
                MultiProcess.WriteWorkerResult(o, outcome, latency!);
                return outcome.Errors == 0 ? 0 : 1;
            }
            DiagSummary? diagSummary = diag?.Stop();
            TraceTopFrames.Report? traceReport = trace?.Finish();
            var result = new RunResult
            {
                Scenario = o.Scenario,
                Label = o.Label,
                StartedUtc = started,
                CommandLine = "fastmq-perf " + string.Join(' ', args),
                Machine = machine,
                Bootstrap = bootstrap,
                BrokerStartedByHarness = host is not null,
                ServerDll = host?.ServerDll ?? "",
                BrokerArgs = o.BrokerArgs,
                Durability = durability,
                Topic = o.Topic,
                Partitions = partitions,
                MessageBytes = o.SizeBytes,
                MessageSize = o.Sizes.ToString(),
                Keys = o.Keys,
                Client = o.Client,
                Compression = o.Compression,
                LingerMs = o.EffectiveLingerMs,
                BatchSizeBytes = o.BatchSizeBytes,
                Producers = o.Scenario is "consume" or "group-consume" or "rebalance" ? 0 : o.IsLatencyScenario ? 1 : o.Producers,
                Consumers = o.Scenario is "produce" or "sustain" ? 0 : o.IsLatencyScenario ? 1 : o.Scenario == "rebalance" ? o.Consumers + 1 : o.Consumers,
                Outcome = outcome,
                BrokerCpuPercent = window.BrokerCpuPercent,
                HarnessCpuPercent = window.HarnessCpuPercent,
                BrokerThreads = window.BrokerThreads,
                Diag = diagSummary ?? (o.Diag ? new DiagSummary { Source = "no broker pid to attach to" } : null),
                Trace = traceReport,
            };
            ResultWriter.PrintSummary(result);
            string stem = $"{o.Scenario}-{started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}" + (o.Label.Length > 0 ? "-" + Sanitize(o.Label) : "");
            Console.WriteLine($"result: {ResultWriter.WriteJson(result, o.OutDir, stem)}");
            if (o.Plot)
            {
                WritePlots(o, stem, outcome, o.Scenario == "produce" ? null : latency);
            }
            return outcome.Errors == 0 && outcome.Missing == 0 ? 0 : 1;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or ArgumentException
            or System.Net.Sockets.SocketException or Confluent.Kafka.KafkaException)
        {
            Console.Error.WriteLine($"fastmq-perf: {e.Message}");
            if (host is not null)
            {
                Console.Error.WriteLine("broker output (last lines):\n" + host.Output);
            }
            return 1;
        }
        finally
        {
            host?.Dispose();
        }
    }

    private static void WritePlots(HarnessOptions o, string stem, ScenarioOutcome outcome, LatencyRecorder? latency)
    {
        string? t = outcome.Sustain is { } v
            ? Plots.Sustain(Path.Combine(o.OutDir, stem + "-throughput.png"), $"fastmq-perf sustain: delivered MB/s (target {v.TargetMBps:N0})", outcome.BytesPerSecond, v.TargetMBps, o.WarmupS)
            : Plots.Throughput(Path.Combine(o.OutDir, stem + "-throughput.png"), $"fastmq-perf {o.Scenario}: messages per second", outcome.PerSecond);
        if (t is not null)
        {
            Console.WriteLine($"plot: {t}");
        }
        if (latency is not null)
        {
            string what = o.Scenario == "sustain" ? "produce latency (send to delivery report)" : "end-to-end latency";
            var series = new List<(string, HistogramBase)>
            {
                ("from intended send time (CO-corrected)", latency.Intended),
                ("from send call", latency.Sent),
            };
            string rate = o.Scenario == "sustain" ? $"{o.TargetMBps:N0} MB/s" : $"{o.RatePerS:N0} msg/s";
            string? l = Plots.LatencyDistribution(Path.Combine(o.OutDir, stem + "-latency.png"),
                $"fastmq-perf {o.Scenario}: {what} at {rate} of {o.Sizes}", series);
            if (l is not null)
            {
                Console.WriteLine($"plot: {l}");
            }
        }
    }

    private static string Sanitize(string s)
    {
        char[] c = s.ToCharArray();
        for (int i = 0; i < c.Length; i++)
        {
            if (!char.IsLetterOrDigit(c[i]) && c[i] != '-' && c[i] != '_' && c[i] != '.')
            {
                c[i] = '_';
            }
        }
        return new string(c);
    }
}
