using System;
using FastMQ.Client.Wire;

namespace FastMQ.Client.Consuming;

/// <summary>
/// A fetch response handed from a fetcher to the application thread: the pooled frame and its slices. Pooled by
/// <see cref="FetchHub"/>; the application thread releases the frame when it has read every slice.
/// </summary>
internal sealed class CompletedFetch
{
    private FetchSlice[] _slices = new FetchSlice[16];

    public Fetcher? Owner { get; set; }

    public PooledFrame? Frame { get; set; }

    public int SliceCount { get; private set; }

    public ref readonly FetchSlice Slice(int index) => ref _slices[index];

    public void Add(in FetchSlice slice)
    {
        if (SliceCount == _slices.Length)
        {
            Array.Resize(ref _slices, _slices.Length * 2); // warm-up only: grows to the most partitions per response
        }
        _slices[SliceCount++] = slice;
    }

    public void Clear()
    {
        Array.Clear(_slices, 0, SliceCount);
        SliceCount = 0;
        Owner = null;
        Frame = null;
    }
}
