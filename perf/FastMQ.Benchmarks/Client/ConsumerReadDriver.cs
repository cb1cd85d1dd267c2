using System;
using System.IO;
using FastMQ.Client;
using FastMQ.Client.Consuming;
using FastMQ.Client.Internal;
using FastMQ.Client.Wire;
using FastMQ.Protocol.Compression;
using FastMQ.Protocol.Records;

namespace FastMQ.Benchmarks.Client;

/// <summary>
/// The consumer's hot path without a network: a pooled frame holding real record batches is published to the
/// consumer's <see cref="FetchHub"/> as a fetcher would, and <see cref="RecordCursor"/> (what <c>Consumer.Consume</c>
/// reads with) returns every record of it, then releases the frame to its pool — per frame: one lock, per batch: a
/// CRC check (and decompression), per record: parsing only.
/// </summary>
/// <remarks>
/// The frame pool hands the same frame back each time (one frame in circulation), so the batch bytes are copied into
/// it once; <see cref="ReadFrame"/> copies them again only if the pool ever returns a different frame.
/// </remarks>
public sealed class ConsumerReadDriver : IDisposable
{
    private const int RecordsPerBatch = 100;

    private readonly byte[] _payload;
    private readonly FramePool _pool = new();
    private readonly FetchHub _hub = new();
    private readonly RecordCursor _cursor;
    private readonly PartitionState _partition = new(new TopicPartition("bench", 0));
    private readonly Fetcher _owner;
    private PooledFrame? _lastFrame;

    public ConsumerReadDriver(int valueBytes, int records, CompressionCodec codec)
    {
        Records = records;
        using var compressor = new RecordCompressor();
        using var builder = new RecordBatchBuilder(compressor);
        using var stream = new MemoryStream();
        byte[] value = new byte[valueBytes];
        byte[] batch = new byte[(RecordsPerBatch * (valueBytes + 64)) + 1024];
        for (int offset = 0; offset < records; offset += RecordsPerBatch)
        {
            builder.Reset(new RecordBatchOptions { BaseOffset = offset, Compression = codec });
            for (int i = 0; i < RecordsPerBatch && offset + i < records; i++)
            {
                value[0] = (byte)i;
                builder.Append(1_700_000_000_000 + offset + i, RecordBytes.Null, value);
            }
            builder.Seal();
            if (!builder.TryWriteTo(batch, out int written))
            {
                throw new InvalidOperationException("batch buffer too small");
            }
            stream.Write(batch, 0, written);
        }
        _payload = stream.ToArray();
        _cursor = new RecordCursor(_hub);
        // An idle fetcher (no partitions, never connects) stands in as the frame's owner for the release accounting.
        _owner = new Fetcher(_hub, new ClientOptions(), new FetchSettings(100, 1, 1 << 20, 1 << 20, 0), 0,
            new BrokerEndpoint("127.0.0.1", 9));
    }

    public int Records { get; }

    /// <summary>Publishes one frame of <see cref="Records"/> records and reads them all; returns a checksum of what was read.</summary>
    public long ReadFrame()
    {
        PooledFrame frame = _pool.Rent(_payload.Length, out Span<byte> bytes);
        if (!ReferenceEquals(frame, _lastFrame))
        {
            _payload.CopyTo(bytes);
            _lastFrame = frame;
        }
        _partition.Position = 0;
        lock (_hub.Sync)
        {
            CompletedFetch fetch = _hub.Rent();
            fetch.Owner = _owner;
            fetch.Frame = frame;
            fetch.Add(new FetchSlice(_partition, _partition.Epoch, Records, 0, _payload.Length));
            _hub.Publish(fetch);
        }
        long sum = 0;
        while (_cursor.TryRead(out ConsumeRecord r))
        {
            sum += r.Offset + r.Value[0] + r.Value.Length;
        }
        return sum;
    }

    public void Dispose()
    {
        _cursor.Dispose();
        _owner.Dispose();
    }
}
