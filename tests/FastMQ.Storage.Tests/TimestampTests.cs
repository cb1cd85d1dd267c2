using System.Collections.Generic;
using System.Linq;
using FastMQ.Core;
using FastMQ.Protocol.Records;
using FastMQ.Storage.CrashHarness;
using FastMQ.Storage.Devices;
using FastMQ.Storage.Tests.Support;
using Xunit;

namespace FastMQ.Storage.Tests;

public class TimestampTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FindOffsetByTimestamp_MatchesABruteForceSearch(bool reopen)
    {
        // Goal: the time index + scan finds the first batch whose maxTimestamp reaches the target. Method: 200 batches over several segments with mostly rising, sometimes older timestamps; compare every target with a linear search, before and after a clean reopen.
        using var ctx = new LogTestContext(DeviceKind.Pwrite);
        var batches = new List<(long Base, long MaxTs)>();
        PartitionLog log = ctx.Open();
        for (int i = 0; i < 200; i++)
        {
            // Every 7th batch carries an old timestamp, as producers with skewed clocks send.
            long ts = i % 7 == 3 ? 10_000 + (i * 10) - 500 : 10_000 + (i * 10);
            byte[] b = BatchFactory.Build(2, 900, ts, i);
            AppendResult r = LogTestContext.Append(log, b);
            batches.Add((r.BaseOffset.Value, new RecordBatchHeader(b).MaxTimestamp));
        }
        Assert.True(log.SegmentCount >= 2);
        if (reopen)
        {
            log.Close();
            log = ctx.Open();
            Assert.True(log.Recovery.CleanShutdown);
        }
        using (log)
        {
            for (long target = 9_000; target <= 12_100; target += 7)
            {
                (long Base, long MaxTs) expected = batches.FirstOrDefault(b => b.MaxTs >= target, (-1, -1));
                bool found = log.TryFindOffsetByTimestamp(target, out Offset offset, out long ts);
                Assert.Equal(expected.Base >= 0, found);
                if (found)
                {
                    Assert.Equal(expected.Base, offset.Value);
                    Assert.Equal(expected.MaxTs, ts);
                }
            }
            Assert.True(log.TryGetMaxTimestamp(out Offset maxOffset, out long max));
            Assert.Equal(batches.Max(b => b.MaxTs), max);
            Assert.Equal(batches.First(b => b.MaxTs == max).Base, maxOffset.Value);
        }
    }
}
