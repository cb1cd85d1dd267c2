using System;
using BenchmarkDotNet.Attributes;
using FastMQ.Benchmarks.Infrastructure;
using FastMQ.Interop;
using FastMQ.Memory;
using FastMQ.Storage.Devices;

namespace FastMQ.Benchmarks.Storage;

/// <summary>
/// The two <see cref="IStorageDevice"/> implementations side by side: sequential O_DIRECT writes of
/// <see cref="ChunkKiB"/> to a preallocated file, keeping <see cref="QueueDepth"/> writes queued or in flight.
/// One operation = one write. With <see cref="DeviceKind.Pwrite"/> the queue runs synchronously at submit, so
/// depth only batches the bookkeeping; with io_uring the kernel has that many writes at once.
/// </summary>
[Config(typeof(StorageBenchConfig))]
[MemoryDiagnoser]
public class DeviceWriteBenchmarks
{
    private const long FileBytes = 1L << 30;

    private readonly IoCompletion[] _completions = new IoCompletion[64];
    private BenchDirectory? _directory;
    private IStorageDevice? _device;
    private NativeFile? _file;
    private AlignedBuffer? _buffer;
    private long _position;

    [Params(DeviceKind.IoUring, DeviceKind.Pwrite)]
    public DeviceKind Device { get; set; }

    [Params(1, 8, 32)]
    public int QueueDepth { get; set; }

    [Params(4, 64)]
    public int ChunkKiB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = new BenchDirectory("device");
        string backend = Device == DeviceKind.IoUring ? "io_uring" : "pwrite";
        _device = StorageDevices.Create(Device, logger: null, QueueDepth, backend, uringOptions: null);
        _file = NativeFile.Open(_directory.File("device.bin"),
            NativeOpenFlags.ReadWrite | NativeOpenFlags.Create | NativeOpenFlags.Truncate | NativeOpenFlags.Direct);
        _file.Allocate(0, FileBytes);
        _buffer = new AlignedBuffer(ChunkKiB * 1024);
        // Batch bytes, not zeros: a virtual disk may treat zero blocks specially.
        BatchFactory.Repeat(BatchFactory.Build(16 * 1024).Bytes, _buffer.Span);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _device?.Dispose();
        _file?.Dispose();
        _buffer?.Dispose();
        _directory?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = StorageBenchConfig.OperationsPerInvoke)]
    public int Write()
    {
        IStorageDevice device = _device!;
        NativeFile file = _file!;
        AlignedBuffer buffer = _buffer!;
        int length = buffer.Length;
        int queued = 0;
        int completed = 0;
        while (completed < StorageBenchConfig.OperationsPerInvoke)
        {
            while (device.InFlight < QueueDepth && queued < StorageBenchConfig.OperationsPerInvoke
                && device.TryQueueWrite(file, buffer, 0, length, NextOffset(length), (ulong)queued))
            {
                queued++;
            }
            _ = device.Submit();
            int n = device.Reap(_completions, 1);
            for (int i = 0; i < n; i++)
            {
                if (_completions[i].Result != length)
                {
                    throw new InvalidOperationException($"{device.Kind} write failed: {_completions[i].Result}");
                }
            }
            completed += n;
        }
        return completed;
    }

    private long NextOffset(int length)
    {
        if (_position + length > FileBytes)
        {
            _position = 0;
        }
        long offset = _position;
        _position += length;
        return offset;
    }
}
