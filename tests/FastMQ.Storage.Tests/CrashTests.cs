using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using FastMQ.Core;
using FastMQ.Protocol.Records;
using FastMQ.Storage.CrashHarness;
using FastMQ.Storage.Devices;
using FastMQ.Storage.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FastMQ.Storage.Tests;

public class CrashTests(ITestOutputHelper output)
{
    private const int Rounds = 20;
    private const long HarnessSegmentBytes = 256 * 1024;

    [Fact]
    public void SigKill_AtRandomMoments_LosesNoAcknowledgedBatch()
    {
        // Goal: fsync-before-ack survives SIGKILL at any moment, and recovery leaves nothing invalid after the tail. Method: 20 rounds of a child process appending to one log (alternating io_uring and pwrite) killed after a random delay; after each kill reopen the log and check every acknowledged batch byte for byte. Replay with FASTMQ_CRASH_SEED.
        int masterSeed = int.TryParse(Environment.GetEnvironmentVariable("FASTMQ_CRASH_SEED"), CultureInfo.InvariantCulture, out int s)
            ? s
            : Random.Shared.Next();
        output.WriteLine($"crash test seed: {masterSeed} (set FASTMQ_CRASH_SEED to replay)");
        var random = new Random(masterSeed);
        string harness = HarnessPath();
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        var acked = new List<Ack>();
        for (int round = 0; round < Rounds; round++)
        {
            int streamSeed = random.Next();
            string backend = round % 2 == 0 ? "io_uring" : "pwrite";
            // Mostly kill while appending; sometimes right after start, possibly during recovery.
            bool early = random.Next(5) == 0;
            int delayMs = early ? random.Next(0, 300) : random.Next(0, 200);
            List<string> lines = RunAndKill(harness, ctx.LogDirectory, streamSeed, backend, early, delayMs);
            int before = acked.Count;
            acked.AddRange(ParseAcks(lines));
            string context = $"seed {masterSeed}, round {round} ({backend}, {(early ? "early" : "after ready")} kill at {delayMs} ms, {acked.Count - before} new acks)";
            output.WriteLine(context);
            VerifyLog(ctx, acked, closeClean: round % 2 == 1, context);
        }
        Assert.True(acked.Count >= Rounds, $"seed {masterSeed}: only {acked.Count} acknowledged batches over {Rounds} rounds");
    }

    private static List<string> RunAndKill(string harness, string directory, int streamSeed, string backend, bool early, int delayMs)
    {
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { harness, directory, streamSeed.ToString(CultureInfo.InvariantCulture), backend, HarnessSegmentBytes.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }
        var lines = new List<string>();
        var errors = new List<string>();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                lock (errors)
                {
                    errors.Add(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!early)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!HasReady(lines) && !process.HasExited)
            {
                Assert.True(DateTime.UtcNow < deadline, "the harness did not become ready");
                Thread.Sleep(5);
            }
        }
        Thread.Sleep(delayMs);
        bool exitedByItself = process.HasExited;
        process.Kill(); // SIGKILL: no finalizers, no flush, no close
        process.WaitForExit();
        Assert.False(exitedByItself && errors.Count > 0, "the harness failed: " + string.Join(" | ", errors));
        lock (lines)
        {
            return [.. lines];
        }
    }

    private static bool HasReady(List<string> lines)
    {
        lock (lines)
        {
            return lines.Count > 0 && lines[0].StartsWith("ready", StringComparison.Ordinal);
        }
    }

    private static IEnumerable<Ack> ParseAcks(List<string> lines)
    {
        foreach (string line in lines)
        {
            string[] p = line.Split(' ');
            // A line cut by the kill lacks the final "." and is not an acknowledgement.
            if (p.Length == 6 && p[0] == "ack" && p[5] == ".")
            {
                yield return new Ack(int.Parse(p[1], CultureInfo.InvariantCulture), int.Parse(p[2], CultureInfo.InvariantCulture),
                    long.Parse(p[3], CultureInfo.InvariantCulture), long.Parse(p[4], CultureInfo.InvariantCulture));
            }
        }
    }

    private static void VerifyLog(LogTestContext ctx, List<Ack> acked, bool closeClean, string context)
    {
        PartitionLog log = ctx.Open(new PartitionLogOptions
        {
            SegmentBytes = HarnessSegmentBytes, WriteBufferBytes = 64 * 1024, MaxBatchBytes = 32 * 1024, IndexIntervalBytes = 1024,
        });
        try
        {
            long maxLast = acked.Count == 0 ? -1 : acked.Max(a => a.Last);
            Assert.True(log.LogEndOffset.Value > maxLast, $"{context}: log end {log.LogEndOffset} but offset {maxLast} was acknowledged");
            foreach (Ack a in acked)
            {
                byte[] expected = BatchFactory.BuildStream(a.Seed, a.Index);
                RecordBatchHeader.AssignOffsetAndEpoch(expected, a.Base, 7);
                Assert.Equal(a.Last, new RecordBatchHeader(expected).LastOffset);
                byte[] actual = LogTestContext.ReadBatch(log, new Offset(a.Base));
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{context}: acknowledged batch {a.Seed}/{a.Index} at offset {a.Base} differs");
            }
            // Everything up to the log end is valid and contiguous (ReadAll validates each batch's CRC).
            long next = 0;
            foreach (byte[] b in LogTestContext.ReadAll(log, 256 * 1024))
            {
                var h = new RecordBatchHeader(b);
                Assert.True(h.BaseOffset == next, $"{context}: batch at {h.BaseOffset}, expected {next}");
                next = h.LastOffset + 1;
            }
            Assert.Equal(log.LogEndOffset.Value, next);
            // And nothing but zeros follows the tail.
            RecoveryTests.AssertZeros(log.TestHookActiveSegmentPath, log.TestHookActiveDataBytes, 64 * 1024);
        }
        finally
        {
            if (closeClean)
            {
                log.Close();
            }
            else
            {
                log.TestHookAbandon();
            }
        }
    }

    private static string HarnessPath()
    {
        string? path = typeof(CrashTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CrashHarnessPath")?.Value;
        Assert.False(string.IsNullOrEmpty(path), "the build did not embed the crash harness path");
        Assert.True(File.Exists(path), $"crash harness not built at {path}");
        return path!;
    }

    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        return current != null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private readonly record struct Ack(int Seed, int Index, long Base, long Last);
}
