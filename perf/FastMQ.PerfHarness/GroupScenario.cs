using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Confluent.Kafka;

namespace FastMQ.PerfHarness;

/// <summary>
/// Consumer-group scenarios, all members in this process (one client and one poll thread each):
/// <c>rebalance</c>: <c>--consumers</c> members (default 3) join a fresh group on the topic and settle, then one more
/// member subscribes; the time from its Subscribe call until every member has an assignment again (the latest
/// assignment callback, with all partitions assigned) is one sample; <c>--repeat</c> samples, each with a new group.
/// <c>group-consume</c>: preload <c>--count</c> messages (not measured), then <c>--consumers</c> members of one group
/// read them all through the group protocol.
/// </summary>
internal sealed class GroupScenario
{
    private static readonly TimeSpan SettleQuiet = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(10);
    private readonly HarnessOptions _o;
    private readonly string _bootstrap;

    public GroupScenario(HarnessOptions o, string bootstrap)
    {
        _o = o;
        _bootstrap = bootstrap;
    }

    public ScenarioOutcome RunRebalance(MeasurementWindow window, int partitions)
    {
        var samples = new List<double>();
        long errors = 0;
        string firstError = "";
        window.Begin();
        for (int rep = 0; rep < _o.Repeat; rep++)
        {
            var members = new List<GroupMember>();
            ConsumerConfig config = GroupConfig($"fastmq-perf-rebalance-{Guid.NewGuid():N}");
            try
            {
                for (int i = 0; i < _o.Consumers; i++)
                {
                    members.Add(new GroupMember(config, _o.Topic, null, $"perf-member-{i}"));
                    members[i].Start();
                }
                WaitUntil(() => AllAssigned(members, partitions, 0) && QuietFor(members, SettleQuiet), $"the first {_o.Consumers} members to settle");
                // The members' heartbeat timers start at their assignment, so a fixed settle time would always put the
                // new member at the same heartbeat phase; a random extra wait makes the phase uniform, as in real life.
                Thread.Sleep(Random.Shared.Next(HeartbeatMs()));
                var joiner = new GroupMember(config, _o.Topic, null, $"perf-member-{_o.Consumers}");
                members.Add(joiner);
                joiner.Start();
                WaitUntil(() => joiner.SubscribedTicks != 0, "the new member to subscribe");
                long t0 = joiner.SubscribedTicks;
                WaitUntil(() => AllAssigned(members, partitions, t0), $"all {members.Count} members to be assigned");
                long last = 0;
                var each = new string[members.Count];
                for (int i = 0; i < members.Count; i++)
                {
                    last = Math.Max(last, members[i].LastAssignTicks);
                    each[i] = Stopwatch.GetElapsedTime(t0, members[i].LastAssignTicks).TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture);
                }
                double ms = Stopwatch.GetElapsedTime(t0, last).TotalMilliseconds;
                samples.Add(ms);
                Console.WriteLine($"rebalance {rep + 1}/{_o.Repeat}: {_o.Consumers}->{members.Count} members on {partitions} partitions: {ms.ToString("F1", CultureInfo.InvariantCulture)} ms (assignments {Assignments(members)}, each member assigned after {string.Join('/', each)} ms)");
            }
            finally
            {
                foreach (GroupMember m in members)
                {
                    m.RequestStop();
                }
                foreach (GroupMember m in members)
                {
                    errors += m.Errors;
                    if (firstError.Length == 0 && m.FirstError.Length > 0)
                    {
                        firstError = m.FirstError;
                    }
                    m.Dispose();
                }
            }
        }
        double elapsed = window.End();
        samples.Sort();
        double median = samples.Count % 2 == 1 ? samples[samples.Count / 2] : (samples[(samples.Count / 2) - 1] + samples[samples.Count / 2]) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rebalance {_o.Consumers}->{_o.Consumers + 1} on {partitions} partitions, {samples.Count} samples: median {median:F1} ms, min {samples[0]:F1} ms, max {samples[^1]:F1} ms; heartbeat.interval.ms {HeartbeatText()}; client errors {errors}{(errors > 0 ? " (first: " + firstError + ")" : "")}"));
        return new ScenarioOutcome
        {
            ElapsedS = elapsed,
            RebalanceMs = samples,
            // Error callbacks of members leaving (e.g. a connection closed under Close) are reported, not failed on.
            FirstError = firstError,
        };
    }

    public ScenarioOutcome RunConsume(MeasurementWindow window, int partitions)
    {
        long target = _o.Count ?? 1_000_000;
        long preloaded = 0;
        if (_o.Preload)
        {
            Console.WriteLine($"preloading {target:N0} messages of {_o.SizeBytes} B into {_o.Topic} (not measured)...");
            using var preloadMeter = new ThroughputMeter("preload");
            ScenarioOutcome pre = new ProduceScenario(_o, _bootstrap, preloadMeter).Run(target, null, _o.Producers);
            preloaded = pre.Messages;
            if (pre.Errors > 0)
            {
                throw new InvalidOperationException($"preload failed: {pre.Errors} errors, first: {pre.FirstError}");
            }
        }
        using var meter = new ThroughputMeter("group-consume");
        ConsumerConfig config = GroupConfig($"fastmq-perf-group-{Guid.NewGuid():N}");
        // Done = every partition read up to its high watermark. Counting messages is not enough: partitions that move
        // during the initial rebalances are read again from the start (no offsets are committed), so some arrive twice.
        long[] ends = HighWatermarks(config, partitions);
        long[] next = new long[partitions];
        long unique = 0;
        foreach (long e in ends)
        {
            unique += e;
        }
        var members = new List<GroupMember>();
        window.Begin();
        meter.Start();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < _o.Consumers; i++)
        {
            members.Add(new GroupMember(config, _o.Topic, meter, $"perf-member-{i}", next));
            members[i].Start();
        }
        long idleSince = Stopwatch.GetTimestamp();
        long seen = 0;
        while (!AllRead(next, ends) && Stopwatch.GetElapsedTime(idleSince) < IdleLimit)
        {
            Thread.Sleep(10);
            long now = meter.Messages;
            if (now != seen)
            {
                seen = now;
                idleSince = Stopwatch.GetTimestamp();
            }
        }
        double elapsed = window.End();
        meter.Stop();
        long first = long.MaxValue;
        long last = 0;
        long errors = 0;
        string firstError = "";
        foreach (GroupMember m in members)
        {
            m.RequestStop();
        }
        foreach (GroupMember m in members)
        {
            if (m.FirstMessageTicks != 0)
            {
                first = Math.Min(first, m.FirstMessageTicks);
                last = Math.Max(last, m.LastMessageTicks);
            }
            errors += m.Errors;
            if (firstError.Length == 0 && m.FirstError.Length > 0)
            {
                firstError = m.FirstError;
            }
            m.Dispose();
        }
        double toFirst = first == long.MaxValue ? double.NaN : Stopwatch.GetElapsedTime(start, first).TotalMilliseconds;
        double readS = first == long.MaxValue ? 0 : Stopwatch.GetElapsedTime(first, last).TotalSeconds;
        long messages = meter.Messages;
        long read = 0;
        foreach (long n in next)
        {
            read += n;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"group-consume: {_o.Consumers} members read {read:N0} of {unique:N0} distinct messages ({messages - read:N0} read twice after rebalances); rates below count distinct messages;"));
        messages = read;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"group-consume: {_o.Consumers} members, {messages:N0} messages; subscribe → first message {toFirst:F0} ms; first → last message {readS:F2} s = {(readS > 0 ? messages / readS : 0):N0} msg/s, {(readS > 0 ? meter.Bytes / 1e6 / readS : 0):F1} MB/s; whole window {elapsed:F2} s = {messages / elapsed:N0} msg/s; client errors {errors}{(errors > 0 ? " (first: " + firstError + ")" : "")}"));
        return new ScenarioOutcome
        {
            Messages = messages,
            Bytes = meter.Bytes,
            ElapsedS = elapsed,
            PerSecond = meter.Series,
            PreloadedMessages = preloaded,
            Errors = messages < unique ? unique - messages : 0,
            FirstError = messages < unique ? $"only {messages} of {unique} messages arrived (idle for {IdleLimit.TotalSeconds} s)" : firstError,
            GroupJoinMs = toFirst,
            GroupReadMsgsPerS = readS > 0 ? messages / readS : 0,
        };
    }

    private long[] HighWatermarks(ConsumerConfig config, int partitions)
    {
        var ends = new long[partitions];
        using IConsumer<byte[], byte[]> probe = new ConsumerBuilder<byte[], byte[]>(config).Build();
        for (int p = 0; p < partitions; p++)
        {
            ends[p] = probe.QueryWatermarkOffsets(new TopicPartition(_o.Topic, p), TimeSpan.FromSeconds(10)).High.Value;
        }
        return ends;
    }

    private static bool AllRead(long[] next, long[] ends)
    {
        for (int p = 0; p < ends.Length; p++)
        {
            if (Volatile.Read(ref next[p]) < ends[p])
            {
                return false;
            }
        }
        return true;
    }

    private ConsumerConfig GroupConfig(string groupId)
    {
        ConsumerConfig c = KafkaSetup.ConsumerConfig(_bootstrap);
        c.GroupId = groupId;
        if (_o.HeartbeatMs is int hb)
        {
            c.HeartbeatIntervalMs = hb;
        }
        return c;
    }

    private int HeartbeatMs() => _o.HeartbeatMs ?? 3000;

    private string HeartbeatText() => _o.HeartbeatMs is int hb ? hb.ToString(CultureInfo.InvariantCulture) : "3000 (librdkafka default)";

    private static bool AllAssigned(List<GroupMember> members, int partitions, long after)
    {
        int sum = 0;
        foreach (GroupMember m in members)
        {
            int a = m.Assigned;
            if (a == 0 || m.LastAssignTicks <= after)
            {
                return false;
            }
            sum += a;
        }
        return sum == partitions;
    }

    private static bool QuietFor(List<GroupMember> members, TimeSpan quiet)
    {
        foreach (GroupMember m in members)
        {
            if (Stopwatch.GetElapsedTime(m.LastAssignTicks) < quiet)
            {
                return false;
            }
        }
        return true;
    }

    private static string Assignments(List<GroupMember> members)
    {
        var parts = new string[members.Count];
        for (int i = 0; i < members.Count; i++)
        {
            parts[i] = members[i].Assigned.ToString(CultureInfo.InvariantCulture);
        }
        return string.Join('/', parts);
    }

    private static void WaitUntil(Func<bool> done, string what)
    {
        long start = Stopwatch.GetTimestamp();
        while (!done())
        {
            if (Stopwatch.GetElapsedTime(start) > StepLimit)
            {
                throw new TimeoutException($"timed out after {StepLimit.TotalSeconds} s waiting for {what}");
            }
            Thread.Sleep(1);
        }
    }
}
