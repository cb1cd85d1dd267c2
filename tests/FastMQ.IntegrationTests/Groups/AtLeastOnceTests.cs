using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Confluent.Kafka;
using FastMQ.IntegrationTests.Support;
using Xunit;

namespace FastMQ.IntegrationTests.Groups;

/// <summary>At-least-once delivery through crashes of consumers and of the broker.</summary>
public sealed class AtLeastOnceTests
{
    private const int Records = 100_000;
    private const int Partitions = 6;

    [Fact]
    public async Task EveryRecordIsProcessedAndDuplicatesFollowTheLastCommit()
    {
        // Goal: with process-then-commit members that are SIGKILLed and restarted at random, a graceful broker restart
        // and a broker SIGKILL, every record is processed at least once and every duplicate lies at or after the last
        // commit its first processor made for that partition (no acknowledged commit is lost). Method: 3 member
        // processes (the test assembly as a child), a producer of 100,000 numbered records, logs per incarnation.
        string dir = Path.Combine(Path.GetTempPath(), "fastmq-alo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        using var broker = new BrokerProcess(GroupTestSupport.BrokerArgs());
        KafkaClients.CreateTopic(broker.BootstrapServers, "alo", Partitions);
        var members = new List<(Process Process, string Log)>();
        int incarnation = 0;
        (Process, string) StartMember()
        {
            string log = Path.Combine(dir, $"member-{incarnation++}.log");
            return (MemberProcess.Start(broker.BootstrapServers, "g-alo", "alo", log), log);
        }
        var logs = new List<string>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                members.Add(StartMember());
            }
            int delivered = 0;
            Task producing = Task.Run(() =>
            {
                using IProducer<byte[], byte[]> producer = KafkaClients.Producer(broker.BootstrapServers, c =>
                {
                    c.EnableIdempotence = true;
                    c.MessageTimeoutMs = 120_000;
                });
                for (int n = 0; n < Records; n++)
                {
                    producer.Produce("alo", new Message<byte[], byte[]> { Value = Encoding.ASCII.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
                        r => { if (r.Error.Code == ErrorCode.NoError) { Interlocked.Increment(ref delivered); } });
                    if (n % 2000 == 1999)
                    {
                        Thread.Sleep(300);
                    }
                }
                producer.Flush(TimeSpan.FromSeconds(120));
            });

            var random = new Random(1234);
            var sw = Stopwatch.StartNew();
            bool restarted = false, killed = false;
            while (sw.Elapsed < TimeSpan.FromSeconds(45))
            {
                await Task.Delay(2500);
                int victim = random.Next(members.Count);
                members[victim].Process.Kill();
                members[victim].Process.WaitForExit();
                logs.Add(members[victim].Log);
                members[victim] = StartMember();
                if (!restarted && sw.Elapsed > TimeSpan.FromSeconds(12))
                {
                    restarted = true;
                    Assert.Equal(0, broker.StopGracefully());
                    broker.Start();
                }
                else if (!killed && sw.Elapsed > TimeSpan.FromSeconds(25))
                {
                    killed = true;
                    broker.Kill();
                    broker.Start();
                }
            }
            await producing.WaitAsync(TimeSpan.FromSeconds(120));
            Assert.Equal(Records, delivered);

            // Let the surviving members finish the backlog.
            bool caughtUp = GroupTestSupport.Eventually(() => ProcessedValues(members.Select(m => m.Log).Concat(logs)).Count == Records, TimeSpan.FromSeconds(60));
            foreach ((Process p, string log) in members)
            {
                p.Kill();
                p.WaitForExit();
                logs.Add(log);
            }
            HashSet<int> seen = ProcessedValues(logs);
            Assert.True(caughtUp && seen.Count == Records, $"processed {seen.Count} of {Records} distinct records\n{broker.Output}");

            // No acknowledged commit is lost: whenever a member starts reading a partition (its first record there, or
            // a jump back to the committed offset), it starts at or after every commit of that partition that some
            // member had already seen acknowledged. Duplicates therefore lie after the last commit before a crash.
            var entries = logs.Select(MemberProcess.Parse).ToList();
            var commits = entries.SelectMany(e => e).Where(e => e.IsCommit).OrderBy(e => e.Ticks).ToList();
            int runs = 0;
            foreach (List<MemberProcess.Entry> log in entries)
            {
                var last = new Dictionary<int, long>();
                foreach (MemberProcess.Entry r in log.Where(e => !e.IsCommit))
                {
                    if (last.TryGetValue(r.Partition, out long prev) && r.Offset == prev + 1)
                    {
                        last[r.Partition] = r.Offset;
                        continue;
                    }
                    last[r.Partition] = r.Offset;
                    runs++;
                    long committedBefore = commits.Where(c => c.Partition == r.Partition && c.Ticks < r.Ticks).Select(c => c.Offset).DefaultIfEmpty(0).Max();
                    Assert.True(r.Offset >= committedBefore,
                        $"partition {r.Partition}: a member started at offset {r.Offset} although offset {committedBefore} had been committed");
                }
            }
            int processed = entries.Sum(l => l.Count(e => !e.IsCommit));
            Assert.True(runs > Partitions, $"only {runs} reading runs");
            Assert.True(processed >= Records);
            Assert.True(logs.Count > 10, "too few member restarts");
        }
        finally
        {
            foreach ((Process p, _) in members)
            {
                if (!p.HasExited)
                {
                    p.Kill();
                }
                p.Dispose();
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    private static HashSet<int> ProcessedValues(IEnumerable<string> logs)
    {
        var values = new HashSet<int>();
        foreach (string log in logs)
        {
            if (File.Exists(log))
            {
                foreach (MemberProcess.Entry e in MemberProcess.Parse(log))
                {
                    if (!e.IsCommit)
                    {
                        values.Add(e.Value);
                    }
                }
            }
        }
        return values;
    }
}
