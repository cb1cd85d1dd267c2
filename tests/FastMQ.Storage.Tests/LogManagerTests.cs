using System.IO;
using FastMQ.Core;
using FastMQ.Storage.CrashHarness;
using FastMQ.Storage.Devices;
using FastMQ.Storage.Tests.Support;
using Xunit;

namespace FastMQ.Storage.Tests;

public class LogManagerTests
{
    [Fact]
    public void OpenAll_FindsEveryPartitionDirectory_AndKeepsTheirData()
    {
        // Goal: a data directory round-trips through the manager. Method: create three partitions, close, open all again (with a filter), compare log ends; stray directories are ignored.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        string data = Path.Combine(ctx.Root, "data");
        Offset endA;
        using (var manager = new LogManager(data, ctx.Io, LogTestContext.SmallOptions))
        {
            PartitionLog a = manager.GetOrCreate("orders", new PartitionId(0));
            LogTestContext.Append(a, BatchFactory.Build(3, 100, 1, 1));
            LogTestContext.Append(manager.GetOrCreate("orders", new PartitionId(1)), BatchFactory.Build(1, 100, 1, 2));
            LogTestContext.Append(manager.GetOrCreate("my-topic.v2", new PartitionId(12)), BatchFactory.Build(2, 100, 1, 3));
            Assert.Same(a, manager.GetOrCreate("orders", new PartitionId(0)));
            endA = a.LogEndOffset;
        }
        Directory.CreateDirectory(Path.Combine(data, "not a partition"));
        Assert.True(Directory.Exists(Path.Combine(data, "my-topic.v2-12")));

        using var reopened = new LogManager(data, ctx.Io, LogTestContext.SmallOptions);
        Assert.Equal(2, reopened.OpenAll((topic, _) => topic == "orders"));
        Assert.False(reopened.TryGet("my-topic.v2", new PartitionId(12), out _));
        Assert.Equal(1, reopened.OpenAll());
        Assert.Equal(3, reopened.Count);
        Assert.True(reopened.TryGet("orders", new PartitionId(0), out PartitionLog log));
        Assert.Equal(endA, log.LogEndOffset);
        Assert.True(log.Recovery.CleanShutdown);
        Assert.True(reopened.TryGet("my-topic.v2", new PartitionId(12), out PartitionLog other));
        Assert.Equal(2, other.LogEndOffset.Value);
        Assert.False(reopened.TryGet("orders", new PartitionId(7), out _));
    }
}
