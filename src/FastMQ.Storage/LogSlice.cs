using System;
using FastMQ.Core;
using FastMQ.Interop;

namespace FastMQ.Storage;

/// <summary>
/// Whole batches read from a log, without decoding: either a span of the log's in-memory tail cache (the newest
/// bytes, which O_DIRECT writes kept out of the page cache) or a range of a segment file opened without O_DIRECT
/// (for sendfile or a page-cache read). The bytes are a valid Fetch records payload as they are.
/// </summary>
/// <remarks>
/// Valid until the next call that can change the log on its shard thread (TryAppend, Poll, a wait, retention,
/// Close): send or copy it before then. A file slice stays valid until retention deletes its segment.
/// </remarks>
public readonly ref struct LogSlice
{
    internal LogSlice(ReadOnlySpan<byte> memory, Offset firstBatchBaseOffset, Offset nextOffset)
    {
        Memory = memory;
        File = null;
        FilePosition = -1;
        Length = memory.Length;
        FirstBatchBaseOffset = firstBatchBaseOffset;
        NextOffset = nextOffset;
    }

    internal LogSlice(NativeFile file, long position, int length, Offset firstBatchBaseOffset, Offset nextOffset)
    {
        Memory = default;
        File = file;
        FilePosition = position;
        Length = length;
        FirstBatchBaseOffset = firstBatchBaseOffset;
        NextOffset = nextOffset;
    }

    /// <summary>True when the bytes are in <see cref="Memory"/>; false when they are at <see cref="File"/>/<see cref="FilePosition"/>.</summary>
    public bool IsMemory => File is null;

    public ReadOnlySpan<byte> Memory { get; }

    /// <summary>The segment file (page-cache descriptor) when the slice is on disk.</summary>
    public NativeFile? File { get; }

    public long FilePosition { get; }

    /// <summary>Bytes in the slice: whole batches only.</summary>
    public int Length { get; }

    /// <summary>Base offset of the first batch, which may lie before the requested offset (clients skip the earlier records).</summary>
    public Offset FirstBatchBaseOffset { get; }

    /// <summary>The offset after the last batch in the slice: where the next read continues.</summary>
    public Offset NextOffset { get; }

    /// <summary>Copies the slice into <paramref name="destination"/> (a pread for file slices); returns the bytes copied.</summary>
    public int CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(destination), $"needs {Length} bytes, has {destination.Length}");
        }
        if (File is null)
        {
            Memory.CopyTo(destination);
            return Length;
        }
        int n = File.ReadAt(destination[..Length], FilePosition);
        if (n != Length)
        {
            ThrowHelper.InvalidData($"{File.Path}: expected {Length} bytes at {FilePosition}, read {n}");
        }
        return n;
    }
}
