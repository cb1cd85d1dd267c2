using System;
using System.Collections.Generic;
using System.IO;
using FastMQ.Core;
using FastMQ.Storage.Devices;
using Xunit;

namespace FastMQ.Storage.Tests.Support;

/// <summary>A temp directory, one shard's <see cref="LogIoContext"/> on a real device of the chosen kind, and helpers.</summary>
internal sealed class LogTestContext : IDisposable
{
    public static readonly PartitionLogOptions SmallOptions = new()
    {
        SegmentBytes = 128 * 1024,
        WriteBufferBytes = 64 * 1024,
        MaxBatchBytes = 32 * 1024,
        IndexIntervalBytes = 1024,
    };

    public LogTestContext(DeviceKind kind, IClock? clock = null, Func<IStorageDevice, IStorageDevice>? wrap = null)
    {
        Root = Directory.CreateTempSubdirectory("fastmq-storage-").FullName;
        Clock = clock ?? SystemClock.Instance;
        Kind = kind;
        IStorageDevice device = CreateDevice(kind);
        Io = new LogIoContext(wrap is null ? device : wrap(device), Clock);
    }

    public string Root { get; }

    public string LogDirectory => Path.Combine(Root, "topic-0");

    public IClock Clock { get; }

    public DeviceKind Kind { get; }

    public LogIoContext Io { get; }

    public CapturingLogger Logger { get; } = new();

    public static IStorageDevice CreateDevice(DeviceKind kind)
    {
        if (kind == DeviceKind.Pwrite)
        {
            return new PosixDevice(64);
        }
        Assert.True(UringDevice.TryCreate(64, null, out UringDevice? device, out string? reason), reason);
        return device!;
    }

    public PartitionLog Open(PartitionLogOptions? options = null, BatchHeaderCallback? onRecoveredBatch = null) =>
        PartitionLog.Open(LogDirectory, options ?? SmallOptions, Io, Logger, onRecoveredBatch);

    public void Dispose()
    {
        Io.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a mount point left behind by a failed test is not worth failing another test for.
        }
    }

    /// <summary>Appends and asserts success; returns the assigned offsets (the batch now holds them).</summary>
    public static AppendResult Append(PartitionLog log, byte[] batch, int epoch = 3)
    {
        AppendStatus status = log.TryAppend(batch, new Epoch(epoch), out AppendResult result);
        Assert.True(status == AppendStatus.Ok, $"append returned {status} ({result.Validation})");
        return result;
    }

    /// <summary>The bytes of the single batch that contains <paramref name="offset"/>.</summary>
    public static byte[] ReadBatch(PartitionLog log, Offset offset)
    {
        LogReadStatus status = log.TryRead(offset, 1, log.LogEndOffset, out LogSlice slice);
        Assert.Equal(LogReadStatus.Ok, status);
        byte[] bytes = new byte[slice.Length];
        slice.CopyTo(bytes);
        return bytes;
    }

    /// <summary>Every batch from the log start to the log end, read in slices of at most <paramref name="maxBytes"/>.</summary>
    public static List<byte[]> ReadAll(PartitionLog log, int maxBytes = 10_000)
    {
        var batches = new List<byte[]>();
        Offset next = log.LogStartOffset;
        while (true)
        {
            LogReadStatus status = log.TryRead(next, maxBytes, log.LogEndOffset, out LogSlice slice);
            if (status == LogReadStatus.NoData)
            {
                return batches;
            }
            Assert.Equal(LogReadStatus.Ok, status);
            Assert.True(slice.NextOffset > next, "a read must make progress");
            byte[] bytes = new byte[slice.Length];
            slice.CopyTo(bytes);
            batches.AddRange(SplitBatches(bytes));
            next = slice.NextOffset;
        }
    }

    /// <summary>Cuts concatenated batches at their batchLength fields, validating each.</summary>
    public static List<byte[]> SplitBatches(ReadOnlySpan<byte> bytes)
    {
        var list = new List<byte[]>();
        while (!bytes.IsEmpty)
        {
            Assert.Equal(Protocol.Records.BatchValidation.Valid, Protocol.Records.RecordBatchValidator.Validate(bytes, out int size));
            list.Add(bytes[..size].ToArray());
            bytes = bytes[size..];
        }
        return list;
    }

    /// <summary>Polls (without blocking) until <paramref name="done"/> holds, failing after a few seconds.</summary>
    public static void PollUntil(PartitionLog log, Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            log.Poll();
        }
    }
}
