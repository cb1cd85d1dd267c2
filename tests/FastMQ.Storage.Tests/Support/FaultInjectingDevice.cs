using System;
using System.Collections.Generic;
using FastMQ.Interop;
using FastMQ.Storage.Devices;

namespace FastMQ.Storage.Tests.Support;

/// <summary>
/// Counting, fault-injecting decorator over a real device. Fault model: while <see cref="FailWrites"/> is set,
/// every write is not executed and completes with -ENOSPC, as a full file system reports it; reads and syncs always
/// pass through. Counts queued writes and syncs so tests can see what a commit policy issued.
/// </summary>
internal sealed unsafe class FaultInjectingDevice(IStorageDevice inner) : IStorageDevice
{
    private readonly Queue<IoCompletion> _failed = new();

    public bool FailWrites { get; set; }

    public int FailedWrites { get; private set; }

    public int Writes { get; private set; }

    public int Syncs { get; private set; }

    public string Kind => inner.Kind;

    public int Alignment => inner.Alignment;

    public int InFlight => inner.InFlight + _failed.Count;

    public bool TryQueueWrite(NativeFile file, byte* buffer, int length, long fileOffset, ulong userData)
    {
        if (!FailWrites)
        {
            bool queued = inner.TryQueueWrite(file, buffer, length, fileOffset, userData);
            Writes += queued ? 1 : 0;
            return queued;
        }
        FailedWrites++;
        _failed.Enqueue(new IoCompletion(userData, -Errors.ENOSPC));
        return true;
    }

    public bool TryQueueRead(NativeFile file, byte* buffer, int length, long fileOffset, ulong userData) =>
        inner.TryQueueRead(file, buffer, length, fileOffset, userData);

    public bool TryQueueFsync(NativeFile file, bool dataOnly, bool afterPrevious, ulong userData)
    {
        bool queued = inner.TryQueueFsync(file, dataOnly, afterPrevious, userData);
        Syncs += queued ? 1 : 0;
        return queued;
    }

    public int Submit() => inner.Submit();

    public int Reap(Span<IoCompletion> completions, int minComplete)
    {
        int n = 0;
        while (n < completions.Length && _failed.Count > 0)
        {
            completions[n++] = _failed.Dequeue();
        }
        if (n < completions.Length)
        {
            n += inner.Reap(completions[n..], Math.Max(0, minComplete - n));
        }
        return n;
    }

    public void Dispose() => inner.Dispose();
}
