using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace FastMQ.Interop.Tests;

public class NativeSystemTests
{
    /// <summary>Runs <paramref name="body"/> on a fresh thread (so pinning never leaks into pool threads) and rethrows its failure.</summary>
    private static void OnDedicatedThread(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException($"on the dedicated thread: {failure}");
        }
    }

    private static int[] ParseCpuList(string list) =>
        list.Split(',').SelectMany(part =>
        {
            string[] range = part.Split('-');
            int lo = int.Parse(range[0]);
            int hi = range.Length == 2 ? int.Parse(range[1]) : lo;
            return Enumerable.Range(lo, hi - lo + 1);
        }).ToArray();

    [Fact]
    public void Affinity_MatchesTheKernelsViewAndPinningMovesTheThread()
    {
        // Goal: affinity reads agree with /proc and PinCurrentThread really pins. Method: compare with Cpus_allowed_list, pin to the last CPU, check sched_getcpu.
        OnDedicatedThread(() =>
        {
            int[] cpus = NativeSystem.GetCurrentThreadAffinity();
            string status = File.ReadAllText("/proc/thread-self/status");
            string line = status.Split('\n').First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
            Assert.Equal(ParseCpuList(line["Cpus_allowed_list:".Length..].Trim()), cpus);
            Assert.Equal(cpus.Length, NativeSystem.AvailableCpuCount);

            int target = cpus[^1];
            NativeSystem.PinCurrentThread(target);
            Assert.Equal(new[] { target }, NativeSystem.GetCurrentThreadAffinity());
            Assert.Equal(1, NativeSystem.AvailableCpuCount);
            Assert.Equal(target, NativeSystem.CurrentCpu);

            NativeIOException e = Assert.Throws<NativeIOException>(() => NativeSystem.PinCurrentThread(NativeSystem.MaxCpu));
            Assert.Equal(Errors.EINVAL, e.Errno);
            Assert.Throws<ArgumentOutOfRangeException>(() => NativeSystem.PinCurrentThread(-1));
        });
    }

    [Fact]
    public async Task SendFile_CopiesTheFileRangeToATcpSocket()
    {
        // Goal: sendfile sends exactly the requested file range, looping over partial sends. Method: 700 KB from offset 4096 of a 1 MiB file to a loopback peer reading concurrently.
        using var dir = new TempDirectory();
        byte[] content = new byte[1 << 20];
        new Random(11).NextBytes(content);
        File.WriteAllBytes(dir.File("seg"), content);
        using NativeFile file = NativeFile.Open(dir.File("seg"), NativeOpenFlags.ReadOnly);
        using var pair = new LoopbackPair();

        const int Count = 700_000;
        Task<byte[]> reader = Task.Run(() => LoopbackPair.ReceiveExactly(pair.Client, Count));
        long sent = NativeSystem.SendFile(LoopbackPair.Fd(pair.Server), file.Fd, 4096, Count);
        Assert.Equal(Count, sent);
        byte[] received = await reader.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(content.AsSpan(4096, Count).ToArray(), received);

        // Past the end of the file: only what exists is sent.
        Task<byte[]> tail = Task.Run(() => LoopbackPair.ReceiveExactly(pair.Client, 100));
        Assert.Equal(100, NativeSystem.SendFile(LoopbackPair.Fd(pair.Server), file.Fd, content.Length - 100, 1000));
        byte[] tailBytes = await tail.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(content.AsSpan(content.Length - 100).ToArray(), tailBytes);
    }

    [Fact]
    public void SendFile_ToABadDescriptor_ReturnsNegatedErrno()
    {
        // Goal: sendfile failures come back as -errno, not exceptions. Method: send to fd -1.
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("seg"), new byte[64]);
        using NativeFile file = NativeFile.Open(dir.File("seg"), NativeOpenFlags.ReadOnly);
        Assert.Equal(-Errors.EBADF, NativeSystem.SendFile(-1, file.Fd, 0, 64));
    }

    [Fact]
    public void GetFileSystemSpace_AgreesWithDriveInfo()
    {
        // Goal: statfs figures are decoded correctly. Method: compare with .NET's DriveInfo for the same path; free space may move a little.
        using var dir = new TempDirectory();
        FileSystemSpace space = NativeSystem.GetFileSystemSpace(dir.Path);
        var drive = new DriveInfo(dir.Path);
        Assert.Equal(drive.TotalSize, space.TotalBytes);
        Assert.InRange(space.AvailableBytes, drive.AvailableFreeSpace - (256L << 20), drive.AvailableFreeSpace + (256L << 20));
        Assert.InRange(space.FreeBytes, space.AvailableBytes, space.TotalBytes);

        NativeIOException e = Assert.Throws<NativeIOException>(() => NativeSystem.GetFileSystemSpace(dir.File("missing")));
        Assert.Equal(Errors.ENOENT, e.Errno);
    }
}
