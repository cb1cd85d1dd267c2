using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using Confluent.Kafka;

namespace FastMQ.IntegrationTests.Groups;

/// <summary>
/// A group member that runs as its own process (so a test can SIGKILL it): the test assembly started with
/// <c>dotnet FastMQ.IntegrationTests.dll</c> and <see cref="EnvVar"/> set. The member processes each record, then
/// commits synchronously every few records, and logs both to a file with one write per line (a SIGKILL loses nothing
/// that was written): <c>R ticks partition offset value</c> for a processed record, <c>C ticks partition offset</c> for
/// each partition of a commit the broker acknowledged (ticks = UTC clock, shared by all processes on the machine).
/// </summary>
internal static class MemberProcess
{
    public const string EnvVar = "FASTMQ_TEST_GROUP_MEMBER";

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
        Run(a[0], a[1], a[2], a[3]);
        Environment.Exit(0);
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

    private static void Run(string bootstrap, string group, string topic, string logPath)
    {
        using var log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        using IConsumer<byte[], byte[]> consumer = GroupTestSupport.Member(bootstrap, group, c =>
        {
            c.SessionTimeoutMs = 3000;
            c.HeartbeatIntervalMs = 300;
            c.EnableAutoOffsetStore = false;
        });
        consumer.Subscribe(topic);
        var pending = new Dictionary<int, long>();
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
                pending[r.Partition.Value] = r.Offset.Value + 1;
            }
            if (pending.Count > 0 && (pending.Count >= 6 || sw.ElapsedMilliseconds > 100))
            {
                var offsets = new List<TopicPartitionOffset>();
                foreach (KeyValuePair<int, long> e in pending)
                {
                    offsets.Add(new TopicPartitionOffset(topic, e.Key, e.Value));
                }
                try
                {
                    consumer.Commit(offsets);
                    foreach (TopicPartitionOffset o in offsets)
                    {
                        Write(log, $"C {DateTime.UtcNow.Ticks} {o.Partition.Value} {o.Offset.Value}\n");
                    }
                }
                catch (KafkaException)
                {
                    // Rebalance or broker restart: the records will be processed again by whoever owns them next.
                }
                pending.Clear();
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

    /// <summary>One line of a member log.</summary>
    public readonly record struct Entry(bool IsCommit, long Ticks, int Partition, long Offset, int Value);

    /// <summary>Parses one member incarnation's log (a torn last line is ignored).</summary>
    public static List<Entry> Parse(string logPath)
    {
        var entries = new List<Entry>();
        string text = File.ReadAllText(logPath);
        // A line without its newline may still be being written (or was torn by SIGKILL): ignore it.
        string[] lines = text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < lines.Length; i++)
        {
            string[] f = lines[i].Split(' ');
            if (f[0] == "R" && f.Length == 5)
            {
                entries.Add(new Entry(false, L(f[1]), (int)L(f[2]), L(f[3]), (int)L(f[4])));
            }
            else if (f[0] == "C" && f.Length == 4)
            {
                entries.Add(new Entry(true, L(f[1]), (int)L(f[2]), L(f[3]), 0));
            }
        }
        return entries;
    }

    private static long L(string s) => long.Parse(s, CultureInfo.InvariantCulture);
}
