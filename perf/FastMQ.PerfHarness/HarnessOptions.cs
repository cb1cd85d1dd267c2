using System;
using System.Collections.Generic;
using System.Globalization;
using FastMQ.PerfHarness.Clients;
using FastMQ.PerfHarness.Workload;

namespace FastMQ.PerfHarness;

/// <summary>
/// The command line of fastmq-perf: a scenario name followed by <c>--name value</c> options. Unknown options and bad
/// values throw <see cref="ArgumentException"/> naming the option, so a typo never silently runs a different benchmark.
/// </summary>
internal sealed class HarnessOptions
{
    public const string Usage = """
        fastmq-perf <produce|consume|e2e|sustain|redis-e2e|redis-consume|nats-produce|nats-consume|nats-e2e|rebalance|group-consume> [options]
        fastmq-perf ratio-table DIR    (the FastMQ / Redis / NATS ratio table of a perf/compare.sh result directory)
        fastmq-perf trace-top FILE     (top frames of a broker CPU trace, .nettrace)

        sustain: --producers paced producers hold --target-mbps (10^6 B/s of values) for --duration after --warmup;
        reports the delivered MB/s of every second, the seconds below 95 % of the target, and the produce latency
        (send -> delivery report) from the intended send time (CO-corrected) and from the send call.
        nats-*: the produce/consume/e2e workloads against a NATS JetStream peer (--nats nats://H:P, stream --topic).

        redis-e2e runs the e2e schedule against a Redis Streams peer (--redis H:P, required) for comparison;
        redis-consume reads the stream --topic (filled beforehand) from its start with XREAD COUNT 1000.
        rebalance: --consumers members (use 3) join a group on the topic, then one more joins; time from its Subscribe
        until all members are assigned again, --repeat times (fresh group each). group-consume: preload --count, then
        --consumers members of one group read it (subscribe, group protocol).

        Broker (default: start fastmq-server on a free loopback port with a temp data dir):
          --bootstrap-server H:P   use an existing broker instead
          --server-dll PATH        fastmq-server.dll to start (default: FASTMQ_SERVER_DLL, then the build output)
          --broker-arg K=V         extra broker setting, repeatable (e.g. log.flush.policy=none)
          --broker-pid N           pid of an existing broker, for the per-thread CPU reading
        Workload:
          --topic NAME             default perf-<scenario>-<random>; created with --partitions if missing
          --partitions N           default 2
          --size SPEC              value size: BYTES | uniform:MIN-MAX | normal:MEAN,STDDEV (default 1024)
          --keys N                 distinct keys (murmur2 placement as the Java client); 0 = null keys, round-robin (default)
          --client C               confluent (Confluent.Kafka, default) | fastmq (FastMQ.Client)
          --flush-policy P         topic flush.policy at creation: fsync|group|none (default: the broker's)
          --flush-ms N             topic flush.ms at creation (group commit window)
          --target-mbps N          sustain: target in MB/s (10^6 B of values per second), default 100
          --processes N            produce/sustain: split --producers over N harness processes (default 1)
          --trace-s N              sustain: CPU sampling trace of the broker for N s after the warm-up (.nettrace in --out, top frames)
          --diag                   report the broker's allocations, GC counts and max pause over the run (fastmq-diag probe)
          --count N                messages (produce: total; consume: read and preload), overrides --duration
          --duration S             seconds of producing, default 15 (e2e: measured part, after --warmup)
          --acks 0|1|all           default 1
          --compression C          none|lz4|zstd|snappy|gzip, default none
          --linger-ms N            default 5 (e2e: 0)
          --batch-size BYTES       librdkafka batch.size, default 1000000
          --producers N            produce: producer clients (threads), default 1 (e2e: always one producer, one consumer)
          --consumers N            consume: consumer clients, default 1
          --rate N                 e2e: messages per second, default 20000
          --tick-us N              e2e: pacing tick, messages due in a tick are sent together, default 1000
          --warmup S               e2e: seconds not recorded at the start, default 2
          --repeat N               rebalance: samples, default 10
          --heartbeat-ms N         rebalance/group-consume: the members' heartbeat.interval.ms (default librdkafka's 3000)
          --no-preload             consume, group-consume: read an existing topic instead of filling it first
          --redis H:P              redis-e2e: the Redis server to measure
          --nats URL               nats-*: the NATS server (JetStream enabled) to measure
          --nats-sync S            nats-*: label of the server's sync setting, stored with the result (compare.sh sets it)
        Output:
          --out DIR                result directory (JSON, PNG), default ./perf-results
          --label TEXT             free text stored with the result
          --no-plot                skip the PNG plots
        """;

    public string Scenario { get; private set; } = "";
    public string? BootstrapServer { get; private set; }
    public string? Redis { get; private set; }
    public string? ServerDll { get; private set; }
    public List<string> BrokerArgs { get; } = [];
    public int? BrokerPid { get; private set; }
    public string Topic { get; private set; } = "";
    public int Partitions { get; private set; } = 2;
    public SizeDistribution Sizes { get; private set; } = SizeDistribution.Fixed(1024);
    /// <summary>The mean value size, rounded (the size itself when fixed).</summary>
    public int SizeBytes => (int)Math.Round(Sizes.MeanBytes);
    public int Keys { get; private set; }
    public string Client { get; private set; } = "confluent";
    public string? FlushPolicy { get; private set; }
    public int? FlushMs { get; private set; }
    public double TargetMBps { get; private set; } = 100;
    public int Processes { get; private set; } = 1;
    public bool Diag { get; private set; }
    /// <summary>sustain: record a CPU sampling trace of the broker for this many seconds after the warm-up (0 = none).</summary>
    public int TraceS { get; private set; }
    public string? Nats { get; private set; }
    public string NatsSync { get; private set; } = "";
    /// <summary>Internal: this process is worker I of --processes, started by a parent harness (see <c>MultiProcess</c>).</summary>
    public int WorkerIndex { get; private set; } = -1;
    /// <summary>Internal: the wall-clock time (Unix ms) at which every worker starts its schedule.</summary>
    public long StartAtUnixMs { get; private set; }
    public long? Count { get; private set; }
    public double DurationS { get; private set; } = 15;
    public string Acks { get; private set; } = "1";
    public string Compression { get; private set; } = "none";
    public int LingerMs { get; private set; } = -1;
    public bool IsNats => Scenario.StartsWith("nats-", StringComparison.Ordinal);
    public bool IsLatencyScenario => Scenario is "e2e" or "redis-e2e" or "nats-e2e";
    public int BatchSizeBytes { get; private set; } = 1_000_000;
    public int Producers { get; private set; } = 1;
    public int Consumers { get; private set; } = 1;
    public int RatePerS { get; private set; } = 20_000;
    public int TickUs { get; private set; } = 1000;
    public double WarmupS { get; private set; } = 2;
    public bool Preload { get; private set; } = true;
    public int Repeat { get; private set; } = 10;
    public int? HeartbeatMs { get; private set; }
    public string OutDir { get; private set; } = "perf-results";
    public string Label { get; private set; } = "";
    public bool Plot { get; private set; } = true;

    /// <summary>linger.ms in force: the explicit value, else 5 ms for throughput runs and 0 for latency runs.</summary>
    public int EffectiveLingerMs => LingerMs >= 0 ? LingerMs : IsLatencyScenario ? 0 : 5;

    public static readonly string[] Scenarios =
        ["produce", "consume", "e2e", "sustain", "redis-e2e", "redis-consume", "nats-produce", "nats-consume", "nats-e2e", "rebalance", "group-consume"];

    public static HarnessOptions Parse(string[] args)
    {
        if (args.Length == 0 || Array.IndexOf(Scenarios, args[0]) < 0)
        {
            throw new ArgumentException("the first argument must be a scenario: " + string.Join(", ", Scenarios));
        }
        var o = new HarnessOptions { Scenario = args[0] };
        for (int i = 1; i < args.Length; i++)
        {
            string name = args[i];
            switch (name)
            {
                case "--no-preload": o.Preload = false; continue;
                case "--no-plot": o.Plot = false; continue;
                case "--diag": o.Diag = true; continue;
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"option {name} needs a value");
            }
            string v = args[++i];
            switch (name)
            {
                case "--bootstrap-server": o.BootstrapServer = v; break;
                case "--redis": o.Redis = v; break;
                case "--server-dll": o.ServerDll = v; break;
                case "--broker-arg": o.BrokerArgs.Add(v.Contains('=', StringComparison.Ordinal) ? v : throw new ArgumentException($"--broker-arg {v}: expected KEY=VALUE")); break;
                case "--broker-pid": o.BrokerPid = Int(name, v, 1, int.MaxValue); break;
                case "--topic": o.Topic = v; break;
                case "--partitions": o.Partitions = Int(name, v, 1, 10_000); break;
                case "--size": o.Sizes = SizeDistribution.Parse(v); break;
                case "--keys": o.Keys = Int(name, v, 0, 10_000_000); break;
                case "--client": o.Client = Array.IndexOf(ClientFactory.Names, v) >= 0 ? v : throw new ArgumentException($"--client {v}: expected confluent or fastmq"); break;
                case "--flush-policy": o.FlushPolicy = v is "fsync" or "group" or "none" ? v : throw new ArgumentException($"--flush-policy {v}: expected fsync, group or none"); break;
                case "--flush-ms": o.FlushMs = Int(name, v, 0, 3_600_000); break;
                case "--trace-s": o.TraceS = Int(name, v, 0, 600); break;
                case "--target-mbps": o.TargetMBps = Dbl(name, v, 0.001, 100_000); break;
                case "--processes": o.Processes = Int(name, v, 1, 64); break;
                case "--nats": o.Nats = v; break;
                case "--nats-sync": o.NatsSync = v; break;
                case "--worker": o.WorkerIndex = Int(name, v, 0, 63); break;
                case "--start-at-unix-ms": o.StartAtUnixMs = long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long t) ? t : throw new ArgumentException($"{name} {v}: expected an integer"); break;
                case "--count": o.Count = Int(name, v, 1, int.MaxValue); break;
                case "--duration": o.DurationS = Dbl(name, v, 0.5, 86_400); break;
                case "--acks": o.Acks = v is "0" or "1" or "all" or "-1" ? (v == "-1" ? "all" : v) : throw new ArgumentException($"--acks {v}: expected 0, 1 or all"); break;
                case "--compression": o.Compression = v is "none" or "lz4" or "zstd" or "snappy" or "gzip" ? v : throw new ArgumentException($"--compression {v}: expected none, lz4, zstd, snappy or gzip"); break;
                case "--linger-ms": o.LingerMs = Int(name, v, 0, 60_000); break;
                case "--batch-size": o.BatchSizeBytes = Int(name, v, 1, 1 << 30); break;
                case "--producers": o.Producers = Int(name, v, 1, 256); break;
                case "--consumers": o.Consumers = Int(name, v, 1, 256); break;
                case "--rate": o.RatePerS = Int(name, v, 1, 10_000_000); break;
                case "--tick-us": o.TickUs = Int(name, v, 10, 1_000_000); break;
                case "--warmup": o.WarmupS = Dbl(name, v, 0, 3600); break;
                case "--repeat": o.Repeat = Int(name, v, 1, 1000); break;
                case "--heartbeat-ms": o.HeartbeatMs = Int(name, v, 1, 3_600_000); break;
                case "--out": o.OutDir = v; break;
                case "--label": o.Label = v; break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }
        if (o.Topic.Length == 0)
        {
            o.Topic = $"perf-{o.Scenario}-{Guid.NewGuid().ToString("N")[..8]}";
        }
        if (o.Scenario.StartsWith("redis-", StringComparison.Ordinal) && o.Redis is null)
        {
            throw new ArgumentException("redis-e2e needs --redis HOST:PORT");
        }
        if (o.IsNats && o.Nats is null)
        {
            throw new ArgumentException($"{o.Scenario} needs --nats nats://HOST:PORT");
        }
        if (o.Processes > 1 && o.Scenario is not ("produce" or "sustain"))
        {
            throw new ArgumentException("--processes applies to produce and sustain only");
        }
        if (o.Processes > o.Producers)
        {
            throw new ArgumentException($"--processes {o.Processes}: needs at least as many --producers (each process runs its share of them)");
        }
        return o;
    }

    private static int Int(string name, string v, int min, int max) =>
        int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} {v}: expected an integer in [{min}, {max}]");

    private static double Dbl(string name, string v, double min, double max) =>
        double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= min && d <= max
            ? d
            : throw new ArgumentException($"{name} {v}: expected a number in [{min}, {max}]");
}
