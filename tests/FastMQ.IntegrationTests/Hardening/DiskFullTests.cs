using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using FastMQ.Protocol.Messages;
using Xunit;
using Xunit.Abstractions;

namespace FastMQ.IntegrationTests.Hardening;

/// <summary>
/// A broker whose data directory is a small tmpfs: producing until the file system is full, serving reads while full,
/// recovering once space is freed, and never losing an acknowledged record.
/// </summary>
public sealed class DiskFullTests(ITestOutputHelper output)
{
    private const string Topic = "hardening-full";
    private const short ProduceVersion = 9;
    private const short FetchVersion = 11;
    private const int RecordBytes = 4096;
    private const int RecordsPerBatch = 15;

    // Goal: a full disk gives KAFKA_STORAGE_ERROR to producers, reads and metadata keep working, produce resumes once
    // space is freed, and everything acknowledged survives (also across a restart). Method: a 128 MiB tmpfs, filled
    // by a ballast file (after start-up) to 24 MiB free; a topic with 1 MiB segments (so rolls hit the full disk);
    // acks=-1 batches until one fails with error 56; fetch everything while full; delete the ballast; produce until
    // accepted again and 2 MiB more; read back and compare with exactly the acknowledged batches; restart the broker
    // and compare again.
    [Fact]
    public void FullDisk_RefusesProduce_KeepsServingReads_RecoversWhenFreed()
    {
        using var mount = new TmpfsMount(128);
        using var broker = new BrokerProcess(["--fastmq.shards=2"], dataDir: Path.Combine(mount.Path, "data"));
        using var c = new RawKafkaConnection(broker.Port);
        CreateTopics(c);
        // The ballast goes in after start-up (whatever the broker preallocates for itself) and leaves 24 MiB free.
        string ballast = Path.Combine(mount.Path, "ballast.bin");
        long free = new DriveInfo(mount.Path).AvailableFreeSpace;
        Assert.True(free > 40L * 1024 * 1024, $"only {free >> 20} MiB free on the fresh 128 MiB tmpfs after start-up");
        WriteBallast(ballast, (int)((free - (24L * 1024 * 1024)) >> 20));

        var acked = new List<long>();
        long nextSequence = 0;
        int correlation = 10;
        ErrorCode firstError = ErrorCode.None;
        int refused = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60) && acked.Count * (long)RecordBytes < 48L * 1024 * 1024)
        {
            ErrorCode error = Produce(c, correlation++, nextSequence);
            if (error == ErrorCode.None)
            {
                Add(acked, nextSequence);
            }
            else
            {
                firstError = error;
                refused++;
                break;
            }
            nextSequence += RecordsPerBatch;
        }
        output.WriteLine($"accepted {acked.Count} records ({acked.Count * (long)RecordBytes >> 20} MiB) before the first refusal ({firstError}) after {sw.Elapsed}");
        Assert.Equal(ErrorCode.KafkaStorageError, firstError);
        Assert.True(acked.Count * (long)RecordBytes > 8L * 1024 * 1024, "the disk filled suspiciously early");

        // Still full: more produce requests are refused (never silently accepted and lost), reads and metadata work.
        for (int i = 0; i < 3; i++)
        {
            nextSequence += RecordsPerBatch;
            Assert.Equal(ErrorCode.KafkaStorageError, Produce(c, correlation++, nextSequence));
        }
        MetadataResponse metadata = KafkaRequests.ReadMetadata(c.RoundTrip(KafkaRequests.Metadata(12, correlation, Topic)), 12, correlation);
        correlation++;
        Assert.Equal(ErrorCode.None, metadata.Topics[0].ErrorCode);
        Assert.Equal(acked, ReadAll(c, ref correlation));

        // Free space: produce works again (after the broker's retry interval at most) and keeps working.
        File.Delete(ballast);
        sw.Restart();
        while (true)
        {
            nextSequence += RecordsPerBatch;
            ErrorCode error = Produce(c, correlation++, nextSequence);
            if (error == ErrorCode.None)
            {
                Add(acked, nextSequence);
                break;
            }
            Assert.Equal(ErrorCode.KafkaStorageError, error);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), "produce still refused 10 s after space was freed");
            Thread.Sleep(50);
        }
        output.WriteLine($"produce accepted again {sw.Elapsed} after the ballast was deleted");
        for (int i = 0; i < 2 * 1024 * 1024 / (RecordBytes * RecordsPerBatch); i++)
        {
            nextSequence += RecordsPerBatch;
            Assert.Equal(ErrorCode.None, Produce(c, correlation++, nextSequence));
            Add(acked, nextSequence);
        }
        Assert.Equal(acked, ReadAll(c, ref correlation));

        // And after a graceful restart on the same (once full) directory.
        broker.StopGracefully();
        broker.Start();
        using var after = new RawKafkaConnection(broker.Port);
        int correlation2 = 1;
        Assert.Equal(acked, ReadAll(after, ref correlation2));
        // The runtime prints an unhandled exception on stderr, unordered with the log and possibly still in the pipe:
        // only a stopped (and drained) broker's output is complete enough to show it is absent.
        broker.StopGracefully();
        Assert.DoesNotContain("Unhandled exception", broker.Output, StringComparison.Ordinal);
    }

    private static void CreateTopics(RawKafkaConnection c)
    {
        var configs = new Dictionary<string, string> { ["segment.bytes"] = "1048576" };
        CreateTopicsResponse r = KafkaRequests.ReadCreateTopics(c.RoundTrip(KafkaRequests.CreateTopics(7, 1, Topic, 1, configs)), 7, 1);
        Assert.Equal(ErrorCode.None, r.Topics[0].ErrorCode);
    }

    private static void WriteBallast(string path, int mebibytes)
    {
        // Real bytes, not a sparse file: tmpfs charges written pages against its size.
        byte[] chunk = new byte[1024 * 1024];
        Random.Shared.NextBytes(chunk);
        using var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        for (int i = 0; i < mebibytes; i++)
        {
            f.Write(chunk);
        }
    }

    /// <summary>One acks=-1 batch of records <paramref name="firstSequence"/>.. (+RecordsPerBatch); returns the partition error.</summary>
    private static ErrorCode Produce(RawKafkaConnection c, int correlationId, long firstSequence)
    {
        var values = new List<byte[]>(RecordsPerBatch);
        for (int i = 0; i < RecordsPerBatch; i++)
        {
            values.Add(Value(firstSequence + i));
        }
        byte[] request = KafkaRequests.Produce(ProduceVersion, correlationId, Topic, 0, KafkaRequests.Batch(values), acks: -1);
        ProduceResponse r = KafkaRequests.ReadProduce(c.RoundTrip(request), ProduceVersion, correlationId);
        return r.Topics[0].Partitions[0].ErrorCode;
    }

    private static void Add(List<long> acked, long firstSequence)
    {
        for (int i = 0; i < RecordsPerBatch; i++)
        {
            acked.Add(firstSequence + i);
        }
    }

    /// <summary>A record value whose content is a function of its sequence number, so a read can be checked byte for byte.</summary>
    private static byte[] Value(long sequence)
    {
        byte[] v = new byte[RecordBytes];
        BinaryPrimitives.WriteInt64BigEndian(v, sequence);
        for (int i = 8; i < v.Length; i++)
        {
            v[i] = (byte)((sequence * 31) + i);
        }
        return v;
    }

    /// <summary>Fetches the whole partition from offset 0 up to its high watermark; returns the sequence numbers read.</summary>
    private static List<long> ReadAll(RawKafkaConnection c, ref int correlation)
    {
        var sequences = new List<long>();
        long offset = 0;
        long highWatermark = long.MaxValue;
        var sw = Stopwatch.StartNew();
        while (offset < highWatermark)
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"reading back stalled at offset {offset} of {highWatermark}");
            int id = correlation++;
            FetchResponse response = KafkaRequests.ReadFetch(c.RoundTrip(KafkaRequests.Fetch(FetchVersion, id, Topic, 0, offset)), FetchVersion, id);
            FetchResponse.Partition p = response.Topics[0].Partitions[0];
            Assert.Equal(ErrorCode.None, p.ErrorCode);
            highWatermark = p.HighWatermark;
            List<byte[]> values = KafkaRequests.Values(p.Records, out long next);
            foreach (byte[] v in values)
            {
                long sequence = BinaryPrimitives.ReadInt64BigEndian(v);
                Assert.Equal(Value(sequence), v);
                sequences.Add(sequence);
            }
            if (next > offset)
            {
                offset = next;
            }
            else if (offset < highWatermark)
            {
                Assert.Fail($"fetch at offset {offset} returned no whole batch below the high watermark {highWatermark}");
            }
        }
        return sequences;
    }
}
