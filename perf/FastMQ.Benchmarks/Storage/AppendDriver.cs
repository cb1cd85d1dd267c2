using System;
using System.Diagnostics;
using System.Threading;
using FastMQ.Core;
using FastMQ.Storage;
using FastMQ.Storage.Devices;

namespace FastMQ.Benchmarks.Storage;

/// <summary>
/// Drives one <see cref="PartitionLog"/> the way a shard does with a single hot partition: append a batch, take a
/// storage turn (<see cref="PartitionLog.Poll"/>), repeat. Shared by the append runner, the BenchmarkDotNet classes
/// and the allocation-budget test, so all three measure the same loop.
/// </summary>
/// <remarks>
/// Owned by one thread. Everything (device, context, log, batch) is created in the constructor; <see cref="Append()"/>
/// and <see cref="WaitAcknowledged"/> allocate nothing. The batch is appended again and again: the log rewrites
/// its base offset and leader epoch in place, fields the CRC does not cover, so it stays valid.
/// </remarks>
public sealed class AppendDriver : IDisposable
{
    private const int WarmUpWindowAppends = 16;
    private const int WarmUpPauseMs = 20;

    private readonly LogIoContext _io;
    private readonly PartitionLog _log;
    private readonly byte[] _batch;
    private long _appended;
    private long _appendTicks;
    private long _pollTicks;
    private long _waitTicks;

    /// <param name="directory">Log directory (created if missing).</param>
    /// <param name="device">io_uring or pwrite; forced, so an unavailable io_uring is an error rather than a silent fallback.</param>
    /// <param name="policy">The log's flush policy.</param>
    /// <param name="batch">The batch to append (its bytes are modified in place by each append).</param>
    /// <param name="segmentBytes">Segment preallocation size; 0 = the log's default (1 GiB).</param>
    public AppendDriver(string directory, DeviceKind device, CommitPolicy policy, BenchBatch batch, long segmentBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Batch = batch;
        _batch = batch.Bytes;
        string backend = device == DeviceKind.IoUring ? "io_uring" : "pwrite";
        IStorageDevice storage = StorageDevices.Create(device, logger: null, StorageDevices.DefaultQueueDepth, backend, uringOptions: null);
        Device = new CountingDevice(storage);
        _io = new LogIoContext(Device, SystemClock.Instance, maxLogs: 1);
        try
        {
            var options = segmentBytes > 0
                ? new PartitionLogOptions { CommitPolicy = policy, SegmentBytes = segmentBytes }
                : new PartitionLogOptions { CommitPolicy = policy };
            _log = PartitionLog.Open(directory, options, _io);
        }
        catch
        {
            _io.Dispose();
            throw;
        }
        DeviceName = storage.Kind;
    }

    public PartitionLog Log => _log;

    /// <summary>The log's device, counting the writes and syncs the log issues.</summary>
    public CountingDevice Device { get; }

    /// <summary>Time spent in <c>TryAppend</c> (validate, assign offsets, copy; blocked while the write buffer is full).</summary>
    public long AppendTicks => _appendTicks;

    /// <summary>Time spent in the storage turns after each append (queue, submit, reap; the I/O itself for pwrite).</summary>
    public long PollTicks => _pollTicks;

    /// <summary>Time spent in <see cref="WaitAcknowledged"/>.</summary>
    public long WaitTicks => _waitTicks;

    /// <summary>Zeroes the device counters and the time split (e.g. after <see cref="WarmUp"/>).</summary>
    public void ResetCounters()
    {
        Device.ResetCounters();
        _appendTicks = 0;
        _pollTicks = 0;
        _waitTicks = 0;
    }

    public BenchBatch Batch { get; }

    /// <summary>The device actually in use: "io_uring" or "pwrite".</summary>
    public string DeviceName { get; }

    /// <summary>Batches appended so far.</summary>
    public long AppendedBatches => _appended;

    /// <summary>Appends the batch once and takes one non-blocking storage turn.</summary>
    /// <exception cref="InvalidOperationException">The log refused the append (disk full, I/O error, …).</exception>
    /// <remarks>Reads the monotonic clock three times (tens of ns) to split the time between append and poll.</remarks>
    public void Append()
    {
        long t0 = Stopwatch.GetTimestamp();
        AppendStatus status = _log.TryAppend(_batch, new Epoch(1), out _);
        long t1 = Stopwatch.GetTimestamp();
        if (status != AppendStatus.Ok)
        {
            ThrowAppendFailed(status);
        }
        _appended++;
        _ = _log.Poll();
        _appendTicks += t1 - t0;
        _pollTicks += Stopwatch.GetTimestamp() - t1;
    }

    /// <summary>Appends the batch <paramref name="count"/> times.</summary>
    public void Append(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Append();
        }
    }

    /// <summary>
    /// Appends in small windows with pauses for at least <paramref name="duration"/>, then waits for the acks, so the
    /// JIT has replaced the append path's tier-0 code with tier-1 (it does so on timers and call counts, 0.1–0.5 s
    /// after the first calls) before anything is measured, while writing only a few MiB.
    /// </summary>
    public void WarmUp(TimeSpan duration)
    {
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            Append(WarmUpWindowAppends);
            WaitAcknowledged();
            Thread.Sleep(WarmUpPauseMs);
        }
    }

    /// <summary>
    /// Turns the log until everything appended may be acknowledged under its policy (written for no-fsync, synced
    /// for the fsync policies), yielding the core between turns while the disk works.
    /// </summary>
    public void WaitAcknowledged()
    {
        long start = Stopwatch.GetTimestamp();
        while (_log.AcknowledgeableOffset < _log.LogEndOffset)
        {
            if (_log.Poll() == 0)
            {
                if (_log.FaultErrno != 0 || _log.IsDiskFull)
                {
                    ThrowAppendFailed(_log.IsDiskFull ? AppendStatus.DiskFull : AppendStatus.IoError);
                }
                _ = Thread.Yield();
            }
        }
        _waitTicks += Stopwatch.GetTimestamp() - start;
    }

    public void Dispose()
    {
        _log.Close();
        _io.Dispose();
    }

    private void ThrowAppendFailed(AppendStatus status) =>
        throw new InvalidOperationException($"append to {_log.DirectoryPath} failed: {status} (errno {_log.FaultErrno})");
}
