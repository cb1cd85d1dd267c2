using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
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
        Librdkafka.EnsureLoaded();
        MachineFacts machine = MachineFacts.Read();
        DateTime started = DateTime.UtcNow;
        BrokerHost? host = null;
        try
        {
            bool redis = o.Scenario == "redis-e2e";
            if (o.BootstrapServer is null && !redis)
            {
                host = BrokerHost.Start(o.ServerDll, o.BrokerArgs);
                Console.WriteLine($"started fastmq-server pid {host.Pid} on {host.BootstrapServers}, data {host.DataDir}");
            }
            string bootstrap = redis ? o.Redis! : o.BootstrapServer ?? host!.BootstrapServers;
            int? brokerPid = host?.Pid ?? o.BrokerPid;
            if (!redis && !(o.Scenario is "consume" or "group-consume" && !o.Preload))
            {
                KafkaSetup.EnsureTopic(bootstrap, o.Topic, o.Partitions);
            }
            int partitions = redis ? 1 : KafkaSetup.PartitionCount(bootstrap, o.Topic);
            DurabilityFacts durability = redis ? RedisE2eScenario.ProbeDurability(bootstrap) : KafkaSetup.ProbeDurability(bootstrap, o.Topic, o.Acks);
            Console.WriteLine($"{o.Scenario}: {(redis ? "redis " + bootstrap : $"topic {o.Topic} ({partitions} partitions)")}, {o.SizeBytes} B messages; durability: {durability}");
            var window = new MeasurementWindow(brokerPid, machine);
            ScenarioOutcome outcome;
            LatencyRecorder? latency = null;
            switch (o.Scenario)
            {
                case "produce":
                    using (var meter = new ThroughputMeter("produce"))
                    {
                        outcome = new ProduceScenario(o, bootstrap, meter).Run(o.Count, window);
                    }
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
                Compression = o.Compression,
                LingerMs = o.EffectiveLingerMs,
                BatchSizeBytes = o.BatchSizeBytes,
                Producers = o.Scenario is "consume" or "group-consume" or "rebalance" ? 0 : o.Scenario is "e2e" or "redis-e2e" ? 1 : o.Producers,
                Consumers = o.Scenario == "produce" ? 0 : o.Scenario is "e2e" or "redis-e2e" ? 1 : o.Scenario == "rebalance" ? o.Consumers + 1 : o.Consumers,
                Outcome = outcome,
                BrokerCpuPercent = window.BrokerCpuPercent,
                HarnessCpuPercent = window.HarnessCpuPercent,
                BrokerThreads = window.BrokerThreads,
            };
            ResultWriter.PrintSummary(result);
            string stem = $"{o.Scenario}-{started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}" + (o.Label.Length > 0 ? "-" + Sanitize(o.Label) : "");
            Console.WriteLine($"result: {ResultWriter.WriteJson(result, o.OutDir, stem)}");
            if (o.Plot)
            {
                WritePlots(o, stem, outcome, latency);
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
        string? t = Plots.Throughput(Path.Combine(o.OutDir, stem + "-throughput.png"), $"fastmq-perf {o.Scenario}: messages per second", outcome.PerSecond);
        if (t is not null)
        {
            Console.WriteLine($"plot: {t}");
        }
        if (latency is not null)
        {
            var series = new List<(string, HistogramBase)>
            {
                ("from intended send time (CO-corrected)", latency.Intended),
                ("from send call", latency.Sent),
            };
            string? l = Plots.LatencyDistribution(Path.Combine(o.OutDir, stem + "-latency.png"),
                $"fastmq-perf {o.Scenario} at {o.RatePerS:N0} msg/s of {o.SizeBytes} B", series);
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
