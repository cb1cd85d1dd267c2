using System;
using System.IO;
using FastMQ.Interop;
using FastMQ.Storage.Devices;
using Xunit;

namespace FastMQ.Storage.Tests.Devices;

/// <summary>Temp directory plus helpers shared by the device tests: create a device of a given kind, drain completions.</summary>
internal sealed class DeviceTestFiles : IDisposable
{
    public DeviceTestFiles()
    {
        Path = Directory.CreateTempSubdirectory("fastmq-devices-").FullName;
    }

    public string Path { get; }

    public NativeFile Open(string name, NativeOpenFlags flags = NativeOpenFlags.ReadWrite | NativeOpenFlags.Create | NativeOpenFlags.Direct) =>
        NativeFile.Open(System.IO.Path.Combine(Path, name), flags);

    public string FilePath(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The device under test; io_uring must really be available here, never silently replaced.</summary>
    public static IStorageDevice CreateDevice(DeviceKind kind, int queueDepth = 64)
    {
        if (kind == DeviceKind.Pwrite)
        {
            return new PosixDevice(queueDepth);
        }
        Assert.True(UringDevice.TryCreate(queueDepth, null, out UringDevice? device, out string? reason), reason);
        return device!;
    }

    /// <summary>Reaps until <paramref name="expected"/> completions arrived, in arrival order.</summary>
    public static IoCompletion[] ReapAll(IStorageDevice device, int expected)
    {
        var all = new IoCompletion[expected];
        int got = 0;
        while (got < expected)
        {
            int n = device.Reap(all.AsSpan(got), expected - got);
            Assert.True(n > 0, $"device stopped after {got} of {expected} completions");
            got += n;
        }
        return all;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort cleanup.
        }
    }
}
