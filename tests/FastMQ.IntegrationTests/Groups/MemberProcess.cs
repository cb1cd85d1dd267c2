using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Confluent.Kafka;

namespace FastMQ.IntegrationTests.Groups;

/// <summary>
/// A group member that runs as its own process (so a test can SIGKILL it): the test assembly started with
/// <c>dotnet FastMQ.IntegrationTests.dll</c> and <see cref="EnvVar"/> set. The member processes each record, then
/// commits synchronously every few records; when partitions are revoked it first commits what it processed of them
/// and never commits a partition it no longer owns (a classic-protocol coordinator, Kafka's as FastMQ's, accepts a
/// commit from any member of the current generation for any partition, so a member that committed a revoked partition
/// after the next generation started would overwrite its new owner's position).
/// </summary>
/// <remarks>
/// The log has one write per line (a SIGKILL loses nothing that was written); ticks are the UTC clock, shared by all
/// processes on the machine; gen is the generation of the member's last JoinGroup answer (from librdkafka's debug log,
/// -1 before one), which is what librdkafka stamps on the commits it sends:
/// <list type="bullet">
/// <item><c>R ticks partition offset value</c>: a processed record.</item>
/// <item><c>C ackTicks partition offset sentTicks gen owned</c>: one partition of a commit the broker acknowledged
/// (owned = 1 if the partition was assigned to this member when the commit was sent).</item>
/// <item><c>E ticks partition offset sentTicks gen error</c>: one partition of a commit that failed.</item>
/// <item><c>A ticks partition gen committed</c>: the partition was assigned (ticks taken before the member asks for its
/// committed offset, so every commit acknowledged before them must be visible to it); committed = the group's committed
/// offset read right then (-1 none, -2 the read failed), librdkafka then starts from its own read of it.</item>
/// <item><c>V ticks partition gen</c> / <c>L ticks partition gen</c>: the partition was revoked / lost.</item>
/// </list>
/// librdkafka's group debug log goes to <c>log + ".rdk"</c> with the same ticks, for post-mortems.
/// </remarks>
internal static partial class MemberProcess
{
    public const string EnvVar = "FASTMQ_TEST_GROUP_MEMBER";

    // The generation librdkafka last joined with (written by its log callback thread, read by the consumer thread).
    private static int s_generation = -1;

    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The test assembly doubles as the member executable; without the variable this does nothing.")]
    [ModuleInitializer]
    internal static void RunIfMember()
    {
        string? spec = Environment.GetEnvironmentVariable(EnvVar);
        if (string.IsNullOrEmpty(spec))
        {
            return;
        }
        string[] a = spec.Split('|');
        // Not inside the initializer itself: librdkafka's own threads call into this assembly (the log handler) and
        // would wait forever for the module initializer to finish. A foreground thread keeps the process alive after
        // the (empty) entry point returns.
        var member = new Thread(() =>
        {
            Run(a[0], a[1], a[2], a[3]);
            Environment.Exit(0);
        })
        { IsBackground = false, Name = "group-member" };
        member.Start();
    }

    public static Process Start(string bootstrap, string group, string topic, string logPath)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(MemberProcess).Assembly.Location);
        psi.Environment[EnvVar] = string.Join('|', bootstrap, group, topic, logPath);
        Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    [GeneratedRegex(@"JoinGroup response: GenerationId (-?\d+)")]
    private static partial Regex JoinGeneration();

    private static void Run(string bootstrap, string group, string topic, string logPath)
    {
        using var log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        using var debug = new FileStream(logPath + ".rdk", FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        var debugLock = new object();
        var owned = new HashSet<int>();
        var pending = new Dictionary<int, long>();
        IConsumer<byte[], byte[]>? self = null;

        void CommitNow(List<int> partitions)
        {
            var offsets = new List<TopicPartitionOffset>();
            foreach (int p in partitions)
            {
                offsets.Add(new TopicPartitionOffset(topic, p, pending[p]));
            }
            long sent = DateTime.UtcNow.Ticks;
            int gen = Volatile.Read(ref s_generation);
            var ownedAtSend = offsets.Select(o => owned.Contains(o.Partition.Value) ? 1 : 0).ToArray();
            try
            {
                self!.Commit(offsets);
                for (int i = 0; i < offsets.Count; i++)
                {
                    Write(log, $"C {DateTime.UtcNow.Ticks} {offsets[i].Partition.Value} {offsets[i].Offset.Value} {sent} {gen} {ownedAtSend[i]}\n");
                }
            }
            catch (KafkaException e)
            {
                // Rebalance or broker restart: the records will be processed again by whoever owns them next.
                foreach (TopicPartitionOffset o in offsets)
                {
                    Write(log, $"E {DateTime.UtcNow.Ticks} {o.Partition.Value} {o.Offset.Value} {sent} {gen} {e.Error.Code}\n");
                }
            }
            foreach (int p in partitions)
            {
                pending.Remove(p);
            }
        }

        using IConsumer<byte[], byte[]> consumer = GroupTestSupport.Member(bootstrap, group, c =>
        {
            c.SessionTimeoutMs = 3000;
            c.HeartbeatIntervalMs = 300;
            c.EnableAutoOffsetStore = false;
            c.Debug = "cgrp,topic";
        }, b => b
            .SetLogHandler((_, m) =>
            {
                Match match = JoinGeneration().Match(m.Message);
                if (match.Success)
                {
                    Volatile.Write(ref s_generation, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
                }
                lock (debugLock)
                {
                    Write(debug, $"{DateTime.UtcNow.Ticks} {m.Facility} {m.Message}\n");
                }
            })
            .SetPartitionsAssignedHandler((c, parts) =>
            {
                long ticks = DateTime.UtcNow.Ticks;
                int gen = Volatile.Read(ref s_generation);
                // What the group has committed right now: the start position librdkafka fetches next must not be lower.
                var committed = new Dictionary<int, long>();
                try
                {
                    foreach (TopicPartitionOffset o in c.Committed(parts, TimeSpan.FromSeconds(5)))
                    {
                        committed[o.Partition.Value] = o.Offset.Value < 0 ? -1 : o.Offset.Value;
                    }
                }
                catch (KafkaException)
                {
                    // Logged as -2 below: the check does not depend on this value.
                }
                foreach (TopicPartition tp in parts)
                {
                    owned.Add(tp.Partition.Value);
                    Write(log, $"A {ticks} {tp.Partition.Value} {gen} {committed.GetValueOrDefault(tp.Partition.Value, -2)}\n");
                }
            })
            .SetPartitionsRevokedHandler((_, parts) =>
            {
                // Still this generation's owner (the member re-joins only after this returns): commit what was processed of
                // these partitions now, then forget them, so no later commit can carry them into the next generation.
                int gen = Volatile.Read(ref s_generation);
                List<int> mine = parts.Select(tp => tp.Partition.Value).Where(pending.ContainsKey).ToList();
                if (mine.Count > 0)
                {
                    CommitNow(mine);
                }
                foreach (TopicPartitionOffset tp in parts)
                {
                    owned.Remove(tp.Partition.Value);
                    pending.Remove(tp.Partition.Value);
                    Write(log, $"V {DateTime.UtcNow.Ticks} {tp.Partition.Value} {gen}\n");
                }
            })
            .SetPartitionsLostHandler((_, parts) =>
            {
                // Lost (the member was fenced or its session ended): someone else may own them already, commit nothing.
                int gen = Volatile.Read(ref s_generation);
                foreach (TopicPartitionOffset tp in parts)
                {
                    owned.Remove(tp.Partition.Value);
                    pending.Remove(tp.Partition.Value);
                    Write(log, $"L {DateTime.UtcNow.Ticks} {tp.Partition.Value} {gen}\n");
                }
            }));
        self = consumer;
        consumer.Subscribe(topic);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            ConsumeResult<byte[], byte[]>? r;
            try
            {
                r = consumer.Consume(TimeSpan.FromMilliseconds(50));
            }
            catch (ConsumeException)
            {
                continue;
            }
            if (r is not null && !r.IsPartitionEOF)
            {
                Write(log, $"R {DateTime.UtcNow.Ticks} {r.Partition.Value} {r.Offset.Value} {Encoding.ASCII.GetString(r.Message.Value)}\n");
                if (owned.Contains(r.Partition.Value))
                {
                    pending[r.Partition.Value] = r.Offset.Value + 1;
                }
            }
            if (pending.Count > 0 && (pending.Count >= 6 || sw.ElapsedMilliseconds > 100))
            {
                CommitNow([.. pending.Keys]);
                sw.Restart();
            }
        }
    }

    private static void Write(FileStream log, string line)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line);
        log.Write(bytes);
        log.Flush();
    }

    /// <summary>
    /// One line of a member log: <see cref="Kind"/> is the line's letter (R, C, E, A, V, L, see the type remarks);
    /// fields a kind does not have are 0 (Generation -1, Committed -2).
    /// </summary>
    public readonly record struct Entry(char Kind, long Ticks, int Partition, long Offset, int Value, long SentTicks, int Generation,
        bool Owned, long Committed);

    /// <summary>Parses one member incarnation's log (a torn last line is ignored).</summary>
    public static List<Entry> Parse(string logPath)
    {
        var entries = new List<Entry>();
        string text = File.ReadAllText(logPath);
        // A line without its newline may still be being written (or was torn by SIGKILL): ignore it.
        string[] lines = text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (string line in lines)
        {
            string[] f = line.Split(' ');
            Entry? e = (f[0], f.Length) switch
            {
                ("R", 5) => new Entry('R', L(f[1]), (int)L(f[2]), L(f[3]), (int)L(f[4]), 0, -1, false, -2),
                ("C", 7) => new Entry('C', L(f[1]), (int)L(f[2]), L(f[3]), 0, L(f[4]), (int)L(f[5]), f[6] == "1", -2),
                ("E", 7) => new Entry('E', L(f[1]), (int)L(f[2]), L(f[3]), 0, L(f[4]), (int)L(f[5]), false, -2),
                ("A", 5) => new Entry('A', L(f[1]), (int)L(f[2]), 0, 0, 0, (int)L(f[3]), true, L(f[4])),
                ("V", 4) or ("L", 4) => new Entry(f[0][0], L(f[1]), (int)L(f[2]), 0, 0, 0, (int)L(f[3]), false, -2),
                _ => null,
            };
            if (e is { } entry)
            {
                entries.Add(entry);
            }
        }
        return entries;
    }

    private static long L(string s) => long.Parse(s, CultureInfo.InvariantCulture);
}
