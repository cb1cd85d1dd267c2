using System;
using FastMQ.Interop;
using FastMQ.Storage.Devices;

namespace FastMQ.Benchmarks.Storage;

/// <summary>
/// An <see cref="IStorageDevice"/> decorator that counts what the log asks of the device (writes, bytes, syncs,
/// submits, peak operations in flight), so a benchmark can say how appends turned into I/O: how large the writes
/// were, how many bytes were written again (each write rewrites the partial last 4 KiB block), how often it synced.
/// </summary>
/// <remarks>Owned by the device's thread, like the device. A few additions per operation; allocates nothing.</remarks>
public sealed unsafe class CountingDevice(IStorageDevice inner) : IStorageDevice
{
    private readonly IStorageDevice _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    public string Kind => _inner.Kind;

    public int Alignment => _inner.Alignment;

    public int InFlight => _inner.InFlight;

    public DeviceCounters Counters { get; private set; }

    public void ResetCounters() => Counters = default;

    public bool TryQueueWrite(NativeFile file, byte* buffer, int length, long fileOffset, ulong userData)
    {
        if (!_inner.TryQueueWrite(file, buffer, length, fileOffset, userData))
        {
            return false;
        }
        DeviceCounters c = Counters;
        Counters = c with
        {
            Writes = c.Writes + 1,
            WriteBytes = c.WriteBytes + length,
            MaxInFlight = Math.Max(c.MaxInFlight, _inner.InFlight),
        };
        return true;
    }

    public bool TryQueueRead(NativeFile file, byte* buffer, int length, long fileOffset, ulong userData) =>
        _inner.TryQueueRead(file, buffer, length, fileOffset, userData);

    public bool TryQueueFsync(NativeFile file, bool dataOnly, bool afterPrevious, ulong userData)
    {
        if (!_inner.TryQueueFsync(file, dataOnly, afterPrevious, userData))
        {
            return false;
        }
        DeviceCounters c = Counters;
        Counters = c with { Syncs = c.Syncs + 1, MaxInFlight = Math.Max(c.MaxInFlight, _inner.InFlight) };
        return true;
    }

    public int Submit()
    {
        int n = _inner.Submit();
        if (n > 0)
        {
            Counters = Counters with { Submits = Counters.Submits + 1 };
        }
        return n;
    }

    public int Reap(Span<IoCompletion> completions, int minComplete) => _inner.Reap(completions, minComplete);

    public void Dispose() => _inner.Dispose();
}
