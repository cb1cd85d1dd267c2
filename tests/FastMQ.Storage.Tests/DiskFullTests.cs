using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using FastMQ.Core;
using FastMQ.Storage.CrashHarness;
using FastMQ.Storage.Devices;
using FastMQ.Storage.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FastMQ.Storage.Tests;

public class DiskFullTests(ITestOutputHelper output)
{
    private static readonly PartitionLogOptions Options = new()
    {
        SegmentBytes = 1 << 20,
        WriteBufferBytes = 128 * 1024,
        MaxBatchBytes = 32 * 1024,
        IndexIntervalBytes = 4096,
        DiskFullRetryIntervalMs = 100,
    };

    [Fact]
    public void DiskFull_OnARealSmallFileSystem_RefusesAppends_KeepsAcknowledgedData_AndRecovers()
    {
        // Goal: a full file system gives DiskFull, loses nothing acknowledged, and appends work again once space is freed. Method: a real 8 MiB tmpfs (mounted as root; tmpfs supports O_DIRECT and fallocate) nearly filled by another file, so a segment roll's fallocate fails with ENOSPC; then the file is deleted. If mounting is refused, the same scenario runs with the ENOSPC-injecting device instead (the output says which).
        using var ctx = new LogTestContext(DeviceKind.IoUring);
        string mount = Path.Combine(ctx.Root, "small-fs");
        Directory.CreateDirectory(mount);
        if (!Run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount))
        {
            output.WriteLine("mount refused: running the write-ENOSPC injection scenario instead");
            WriteEnospc_RefusesAppends_KeepsAcknowledgedData_AndRecovers();
            return;
        }
        output.WriteLine("running on a real 8 MiB tmpfs");
        try
        {
            string dir = Path.Combine(mount, "topic-0");
            string filler = Path.Combine(mount, "filler");
            File.WriteAllBytes(filler, new byte[5 << 20]);
            var expected = new List<byte[]>();
            AppendStatus status = AppendStatus.Ok;
            using (PartitionLog log = PartitionLog.Open(dir, Options, ctx.Io, ctx.Logger))
            {
                for (int i = 0; i < 2000 && status == AppendStatus.Ok; i++)
                {
                    byte[] b = BatchFactory.Build(2, 2000, i, i);
                    status = log.TryAppend(b, new Epoch(1), out _);
                    if (status == AppendStatus.Ok)
                    {
                        expected.Add(b);
                        Assert.Equal(AppendStatus.Ok, log.Flush());
                    }
                }
                Assert.Equal(AppendStatus.DiskFull, status);
                Assert.True(expected.Count > 200, $"only {expected.Count} batches fit");
                Assert.Equal(log.LogEndOffset, log.FlushedOffset);
                RecoveryTests.AssertBatches(expected, LogTestContext.ReadAll(log));
                Assert.Equal(AppendStatus.DiskFull, log.TryAppend(BatchFactory.Build(2, 2000, 0, 0), new Epoch(1), out _));
                Assert.Contains(ctx.Logger.Entries, e => e.EventId == 6);

                File.Delete(filler);
                for (int i = 0; i < 50; i++)
                {
                    byte[] b = BatchFactory.Build(2, 2000, 5000 + i, 5000 + i);
                    LogTestContext.Append(log, b, epoch: 1);
                    expected.Add(b);
                }
                Assert.Equal(AppendStatus.Ok, log.Flush());
            }
            using (PartitionLog reopened = PartitionLog.Open(dir, Options, ctx.Io, ctx.Logger))
            {
                Assert.True(reopened.Recovery.CleanShutdown);
                RecoveryTests.AssertBatches(expected, LogTestContext.ReadAll(reopened));
            }
        }
        finally
        {
            Assert.True(Run("umount", "-l", mount), "umount failed");
        }
    }

    [Fact]
    public void WriteEnospc_RefusesAppends_KeepsAcknowledgedData_AndRecovers()
    {
        // Goal: a write that fails with ENOSPC (thin provisioning, quota) is retried, refuses new appends meanwhile and loses nothing. Method: fault-injecting decorator over the real pwrite device (writes complete with -ENOSPC while armed), manual clock for the retry interval.
        FaultInjectingDevice? device = null;
        var clock = new ManualClock(0);
        using var ctx = new LogTestContext(DeviceKind.Pwrite, clock, d => device = new FaultInjectingDevice(d));
        var expected = new List<byte[]>();
        using (PartitionLog log = ctx.Open(Options))
        {
            RecoveryTests.AppendStream(log, expected, seed: 1, count: 10);
            Assert.Equal(AppendStatus.Ok, log.Flush());
            Offset acknowledged = log.AcknowledgeableOffset;

            device!.FailWrites = true;
            RecoveryTests.AppendStream(log, expected, seed: 2, count: 3);
            log.Poll();
            Assert.True(log.IsDiskFull);
            Assert.Equal(acknowledged, log.AcknowledgeableOffset);
            Assert.Equal(AppendStatus.DiskFull, log.WaitDurable(log.LogEndOffset));
            Assert.Equal(AppendStatus.DiskFull, log.TryAppend(BatchFactory.BuildStream(3, 0), new Epoch(1), out _));
            RecoveryTests.AssertBatches(expected, LogTestContext.ReadAll(log));

            device.FailWrites = false;
            int failed = device.FailedWrites;
            log.Poll();
            Assert.True(log.IsDiskFull, "no retry before the interval");
            clock.AdvanceMs(100);
            LogTestContext.PollUntil(log, () => !log.IsDiskFull && log.FlushedOffset == log.LogEndOffset, "the retried write");
            Assert.Equal(failed, device.FailedWrites);
            Assert.Contains(ctx.Logger.Entries, e => e.EventId == 7);
            RecoveryTests.AppendStream(log, expected, seed: 4, count: 5);
        }
        using PartitionLog reopened = ctx.Open(Options);
        RecoveryTests.AssertBatches(expected, LogTestContext.ReadAll(reopened));
    }

    private static bool Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        try
        {
            using Process p = Process.Start(psi)!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
