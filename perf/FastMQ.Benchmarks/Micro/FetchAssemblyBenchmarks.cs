using System;
using BenchmarkDotNet.Attributes;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Benchmarks.Storage;
using FastMQ.Network;
using FastMQ.Protocol.Messages;

namespace FastMQ.Benchmarks.Micro;

/// <summary>
/// Building a Fetch response the way FetchHandler.WriteResponse does, minus the socket: parse the Fetch request,
/// rent a <see cref="ResponseFrame"/>, write every partition's header with <see cref="FetchResponseWriter"/>, then
/// either copy the partition's records into the frame (data read from the tail cache) or add a file part for
/// sendfile (data in a segment file), complete the frame, and return it to the pool as the sender does after the send.
/// 12 partitions of 16 KiB each; <see cref="CopiedPartitions"/> of them come from the tail cache. One operation = one
/// response.
/// </summary>
[Config(typeof(CpuBenchConfig))]
[MemoryDiagnoser]
public class FetchAssemblyBenchmarks
{
    /// <summary>Fetch v12: the highest version FastMQ serves (flexible encoding).</summary>
    public const short FetchVersion = 12;

    public const int Partitions = 12;
    public const int RecordsBytes = 16 * 1024;

    // A descriptor number only: file parts are recorded, never sent here.
    private const int SegmentFd = 1000;

    private byte[] _frame = [];
    private int _headerLength;
    private byte[] _records = [];

    /// <summary>0: all partitions are file parts (zero-copy); 12: all are copied from the tail cache.</summary>
    [Params(0, 12)]
    public int CopiedPartitions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frame = RequestFrames.Fetch(FetchVersion, Partitions, RecordsBytes);
        _headerLength = RequestHeader.Read(_frame, ApiVersionsTable.WithGroups).Length;
        _records = BatchFactory.Build(RecordsBytes).Bytes;
    }

    [Benchmark]
    public long Assemble()
    {
        var reader = new FetchRequestReader(_frame.AsSpan(_headerLength), FetchVersion);
        ResponseFrame frame = ResponseFramePool.Rent();
        int copied = CopiedPartitions * _records.Length;
        Span<byte> buffer = frame.GetWriteSpan(reader.MaxResponseOverhead + copied);
        var writer = new FetchResponseWriter(buffer, FetchVersion, 12345, reader.TopicCount);
        int slot = 0;
        while (reader.TryReadTopic(out ReadOnlySpan<byte> name, out int count))
        {
            writer.BeginTopic(name, count);
            while (reader.TryReadPartition(out FetchPartitionRequest part))
            {
                var header = new FetchPartitionHeader(part.Partition, ErrorCode.None, 5000, 5000, 0);
                writer.BeginPartition(header, _records.Length);
                if (slot++ < CopiedPartitions)
                {
                    writer.WriteRecords(_records);
                }
                else
                {
                    frame.AddFilePart(writer.MarkRecordsExternal(), SegmentFd, part.FetchOffset * 1024, _records.Length);
                }
                writer.EndPartition();
            }
            writer.EndTopic();
        }
        writer.Complete();
        frame.Commit(writer.Position);
        long total = frame.TotalLength;
        frame.Reset();
        ResponseFramePool.Return(frame);
        return total;
    }
}
