using System;
using System.IO;
using FastMQ.Benchmarks.Append;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Benchmarks.Storage;
using FastMQ.Storage.Devices;
using Xunit;

namespace FastMQ.Benchmarks.Tests;

public class InfrastructureTests
{
    [Fact]
    public void BenchDirectory_RefusesTmpfsAndDeletesItsFiles()
    {
        // Goal: numbers never come from RAM-backed scratch space, and scratch files do not pile up.
        // Method: ask for a directory under /dev/shm (tmpfs here) and under /tmp (disk), then dispose the latter.
        Assert.Equal("tmpfs", MountTable.FileSystemTypeOf("/dev/shm"));
        var e = Assert.Throws<InvalidOperationException>(() => new BenchDirectory("t", "/dev/shm"));
        Assert.Contains("tmpfs", e.Message, StringComparison.Ordinal);

        string path;
        using (var directory = new BenchDirectory("t", Path.GetTempPath()))
        {
            path = directory.Path;
            File.WriteAllBytes(directory.File("x"), [1, 2, 3]);
            Assert.NotEqual("tmpfs", directory.FileSystemType);
        }
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void AppendOptions_ParsesValuesAndRejectsBadOnes()
    {
        // Goal: the runner's command line means what PERF.md says. Method: parse a full line and some bad ones.
        AppendOptions o = AppendOptions.Parse(["--batch-kib", "256", "--policy", "group", "--device", "both", "--gib", "0.5",
            "--seconds", "7", "--rounds", "3", "--uring-depth", "8", "--raw-large-kib", "2048", "--group-ms", "2", "--group-kib", "512",
            "--raw-file", "prewritten"]);
        Assert.Equal(256, o.BatchKiB);
        Assert.Equal(FlushPolicy.Group, o.Policy);
        Assert.Equal([DeviceKind.IoUring, DeviceKind.Pwrite], o.Devices);
        Assert.Equal(512L << 20, o.BytesPerPhase);
        Assert.Equal(7, o.MaxSecondsPerPhase);
        Assert.Equal(3, o.Rounds);
        Assert.Equal(8, o.UringDepth);
        Assert.Equal(2 << 20, o.RawLargeChunkBytes);
        Assert.Equal(2, o.GroupIntervalMs);
        Assert.Equal(512 * 1024, o.GroupBytes);
        Assert.True(o.RawPrewritten);
        Assert.False(AppendOptions.Parse([]).RawPrewritten);

        Assert.Contains("--frobnicate", Assert.Throws<ArgumentException>(() => AppendOptions.Parse(["--frobnicate", "1"])).Message, StringComparison.Ordinal);
        Assert.Contains("--policy", Assert.Throws<ArgumentException>(() => AppendOptions.Parse(["--policy", "sometimes"])).Message, StringComparison.Ordinal);
        Assert.Contains("--batch-kib", Assert.Throws<ArgumentException>(() => AppendOptions.Parse(["--batch-kib", "0"])).Message, StringComparison.Ordinal);
        Assert.Contains("--raw-file", Assert.Throws<ArgumentException>(() => AppendOptions.Parse(["--raw-file", "old"])).Message, StringComparison.Ordinal);
        Assert.Contains("needs a value", Assert.Throws<ArgumentException>(() => AppendOptions.Parse(["--gib"])).Message, StringComparison.Ordinal);
    }
}
