using System.IO;
using FastMQ.Storage.CrashHarness;
using FastMQ.Storage.Devices;
using FastMQ.Storage.Tests.Support;
using Xunit;

namespace FastMQ.Storage.Tests;

public class PreallocationTests
{
    [Fact]
    public void ActiveSegment_IsPreallocatedInSteps_UpToTheSegmentSize()
    {
        // Goal: an idle partition reserves one preallocation step, not a whole segment, and the reservation grows ahead
        // of the data. Method: 1 MiB segments with 256 KiB steps; check the file size after open, after ~600 KiB of
        // appends, and that it never exceeds the segment size while data rolls into new segments.
        using var ctx = new LogTestContext(DeviceKind.IoUring);
        var options = new PartitionLogOptions
        {
            SegmentBytes = 1 << 20,
            PreallocateStepBytes = 256 << 10,
            WriteBufferBytes = LogTestContext.SmallOptions.WriteBufferBytes,
            MaxBatchBytes = LogTestContext.SmallOptions.MaxBatchBytes,
            CommitPolicy = CommitPolicy.None,
        };
        using PartitionLog log = ctx.Open(options);
        string first = Path.Combine(ctx.LogDirectory, "00000000000000000000.log");
        Assert.Equal(256 << 10, new FileInfo(first).Length);

        int i = 0;
        while (log.SizeBytes < 600 << 10)
        {
            LogTestContext.Append(log, BatchFactory.BuildStream(3, i++));
        }
        long length = new FileInfo(first).Length;
        Assert.True(length >= log.SizeBytes && length <= (1 << 20), $"file {length} for {log.SizeBytes} data bytes");
        Assert.Equal(0, length % (256 << 10));

        while (log.SegmentCount < 3)
        {
            LogTestContext.Append(log, BatchFactory.BuildStream(3, i++));
        }
        Assert.Equal(AppendStatus.Ok, log.Flush());
        foreach (string f in Directory.GetFiles(ctx.LogDirectory, "*.log"))
        {
            Assert.True(new FileInfo(f).Length <= 1 << 20, $"{f} is {new FileInfo(f).Length} bytes");
        }
    }
}
