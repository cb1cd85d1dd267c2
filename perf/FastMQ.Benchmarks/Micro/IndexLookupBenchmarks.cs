using System;
using BenchmarkDotNet.Attributes;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Benchmarks.Storage;
using FastMQ.Core;
using FastMQ.Storage;
using FastMQ.Storage.Devices;

namespace FastMQ.Benchmarks.Micro;

/// <summary>
/// Locating a fetch offset in a partition log as a Fetch does (<see cref="PartitionLog.TryRead"/> with a 1-byte
/// budget, so exactly the batch holding the offset is returned): segment by binary search, then the segment's sparse
/// offset index (one entry per 4 KiB), then batch headers scanned forward from that entry. <see cref="FileSegment"/>
/// reads those headers from segment files (pread, page cache warm); <see cref="TailCache"/> finds the batch in the
/// active segment's in-memory tail. Offsets are random, fixed at setup, cycled through. One operation = one lookup.
/// </summary>
/// <remarks>
/// OffsetIndex itself is internal to FastMQ.Storage; this measures it through the public read path, which is what a
/// Fetch pays. The log holds ~12 MiB of 1-record batches (~1.1 KiB each) in 4 MiB segments, written without fsync.
/// </remarks>
[Config(typeof(CpuBenchConfig))]
[MemoryDiagnoser]
public class IndexLookupBenchmarks : IDisposable
{
    private const int LookupCount = 1024;
    private const long SegmentBytes = 4 << 20;
    private const int LogBytes = 12 << 20;

    private BenchDirectory? _directory;
    private AppendDriver? _driver;
    private long[] _fileOffsets = [];
    private long[] _tailOffsets = [];
    private int _next;

    public PartitionLog Log => _driver!.Log;

    [GlobalSetup]
    public void Setup()
    {
        _directory = new BenchDirectory("index-lookup");
        BenchBatch batch = BatchFactory.Build(2048);
        _driver = new AppendDriver(_directory.File("log"), DeviceKind.Pwrite, FlushPolicy.None.ToCommitPolicy(), batch, SegmentBytes);
        _driver.Append(LogBytes / batch.SizeBytes);
        _driver.WaitAcknowledged();
        // Offsets at or above tailStart are served from the tail cache, those below from segment files.
        long end = _driver.Log.LogEndOffset.Value;
        long tailStart = FirstInMemory(end);
        if (tailStart <= 0 || tailStart >= end)
        {
            throw new InvalidOperationException($"expected both file and tail-cache data: tail starts at {tailStart} of {end}");
        }
        var random = new Random(7);
        _fileOffsets = new long[LookupCount];
        _tailOffsets = new long[LookupCount];
        for (int i = 0; i < LookupCount; i++)
        {
            _fileOffsets[i] = random.NextInt64(0, tailStart);
            _tailOffsets[i] = random.NextInt64(tailStart, end);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _driver?.Dispose();
        _directory?.Dispose();
        _driver = null;
        _directory = null;
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public long FileSegment() => Lookup(_fileOffsets);

    [Benchmark]
    public long TailCache() => Lookup(_tailOffsets);

    /// <summary>Binary search for the lowest offset whose batch the log returns from memory.</summary>
    private long FirstInMemory(long end)
    {
        long lo = 0;
        long hi = end;
        while (lo < hi)
        {
            long mid = lo + ((hi - lo) / 2);
            if (_driver!.Log.TryRead(new Offset(mid), 1, _driver.Log.LogEndOffset, out LogSlice slice) != LogReadStatus.Ok)
            {
                throw new InvalidOperationException($"offset {mid} of {end} is not readable");
            }
            if (slice.IsMemory)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private long Lookup(long[] offsets)
    {
        long offset = offsets[_next++ & (LookupCount - 1)];
        PartitionLog log = _driver!.Log;
        if (log.TryRead(new Offset(offset), 1, log.LogEndOffset, out LogSlice slice) != LogReadStatus.Ok
            || slice.FirstBatchBaseOffset.Value > offset || slice.NextOffset.Value <= offset)
        {
            throw new InvalidOperationException($"lookup of offset {offset} failed");
        }
        return slice.FilePosition + slice.Length;
    }
}
