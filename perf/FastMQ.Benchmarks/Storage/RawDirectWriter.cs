using System;
using FastMQ.Interop;
using FastMQ.Memory;

namespace FastMQ.Benchmarks.Storage;

/// <summary>
/// The raw baseline: the simplest code that writes bytes sequentially to a preallocated O_DIRECT file, in aligned
/// chunks from one <see cref="AlignedBuffer"/>, either with pwrite (one at a time) or through one io_uring with a
/// few writes in flight. It has no log around it (no validation, no copy, no index, no sync), so the difference
/// between it and the partition log is the cost of the engine, not of the disk.
/// </summary>
/// <remarks>
/// Owned by one thread. The file is created (truncated), then fallocate-d to its full size up front, as a log
/// segment is; writes go at increasing offsets and wrap to 0 at the end of the file (later passes overwrite
/// blocks that are already written, which ext4 handles faster than first writes into unwritten extents).
/// Allocates nothing after construction.
/// </remarks>
public sealed unsafe class RawDirectWriter : IDisposable
{
    private readonly NativeFile _file;
    private readonly AlignedBuffer _chunk;
    private readonly IoUringCqe[] _cqes = new IoUringCqe[64];
    private IoUring? _ring;
    private int _ringDepth;
    private long _position;

    /// <param name="path">File to create (truncated if it exists).</param>
    /// <param name="fileBytes">Size preallocated with fallocate; a multiple of <paramref name="chunkBytes"/>.</param>
    /// <param name="chunkBytes">Bytes per write; a positive multiple of 4096.</param>
    /// <param name="pattern">Bytes repeated to fill the chunk (the benchmark batch, so both sides write the same data).</param>
    public RawDirectWriter(string path, long fileBytes, int chunkBytes, ReadOnlySpan<byte> pattern)
    {
        if (chunkBytes <= 0 || chunkBytes % AlignedBuffer.Alignment != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), $"{chunkBytes} must be a positive multiple of {AlignedBuffer.Alignment}");
        }
        if (fileBytes < chunkBytes || fileBytes % chunkBytes != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fileBytes), $"{fileBytes} must be a positive multiple of the {chunkBytes}-byte chunk");
        }
        _chunk = new AlignedBuffer(chunkBytes);
        BatchFactory.Repeat(pattern, _chunk.Span);
        _file = NativeFile.Open(path, NativeOpenFlags.ReadWrite | NativeOpenFlags.Create | NativeOpenFlags.Truncate | NativeOpenFlags.Direct);
        try
        {
            _file.Allocate(0, fileBytes);
        }
        catch
        {
            _file.Dispose();
            _chunk.Dispose();
            throw;
        }
        FileBytes = fileBytes;
        ChunkBytes = chunkBytes;
    }

    public long FileBytes { get; }

    public int ChunkBytes { get; }

    /// <summary>Writes <paramref name="bytes"/> (rounded up to whole chunks) with one pwrite per chunk; returns bytes written.</summary>
    public long WritePwrite(long bytes)
    {
        long chunks = ChunksFor(bytes);
        for (long i = 0; i < chunks; i++)
        {
            int r = _file.UnsafeWriteAt(_chunk.Pointer, ChunkBytes, NextOffset());
            if (r != ChunkBytes)
            {
                ThrowWriteFailed("pwrite", r);
            }
        }
        return chunks * ChunkBytes;
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> (rounded up to whole chunks) through one io_uring, keeping up to
    /// <paramref name="depth"/> writes in flight; returns bytes written.
    /// </summary>
    /// <exception cref="InvalidOperationException">io_uring is unavailable here.</exception>
    public long WriteUring(long bytes, int depth)
    {
        IoUring ring = RingFor(depth);
        int fd = _file.Fd;
        long chunks = ChunksFor(bytes);
        long queued = 0;
        long completed = 0;
        int inFlight = 0;
        while (completed < chunks)
        {
            while (inFlight < depth && queued < chunks
                && ring.TryPrepareWrite(fd, _chunk.Pointer, ChunkBytes, NextOffset(), (ulong)queued))
            {
                queued++;
                inFlight++;
            }
            _ = ring.SubmitAndWait(1);
            int n = ring.Reap(_cqes);
            for (int i = 0; i < n; i++)
            {
                if (_cqes[i].Result != ChunkBytes)
                {
                    ThrowWriteFailed("io_uring write", _cqes[i].Result);
                }
            }
            inFlight -= n;
            completed += n;
        }
        return chunks * ChunkBytes;
    }

    /// <summary>
    /// Writes every block of the file once (1 MiB pwrites from a buffer filled with the chunk's bytes), syncs it and
    /// rewinds, so the next writes overwrite written blocks: ext4 then has no unwritten extent to convert (a
    /// journal update per write), and what remains is the device. Not measured; for comparison with fresh files.
    /// </summary>
    public void Prefill()
    {
        // Whole chunks, about 1 MiB per write (FileBytes is a multiple of the chunk, so this never overruns it).
        int fillBytes = (int)Math.Min(Math.Max(1 << 20, ChunkBytes) / ChunkBytes * ChunkBytes, FileBytes);
        using var fill = new AlignedBuffer(fillBytes);
        BatchFactory.Repeat(_chunk.Span, fill.Span);
        for (long offset = 0; offset < FileBytes; offset += fillBytes)
        {
            int length = (int)Math.Min(fillBytes, FileBytes - offset);
            int r = _file.UnsafeWriteAt(fill.Pointer, length, offset);
            if (r != length)
            {
                ThrowWriteFailed("pwrite (prefill)", r);
            }
        }
        _file.Sync(dataOnly: true);
        _position = 0;
    }

    /// <summary>fdatasync of the file (outside the measured loops: it makes the next run start from a quiet disk).</summary>
    public void Sync() => _file.Sync(dataOnly: true);

    public void Dispose()
    {
        _ring?.Dispose();
        _file.Dispose();
        _chunk.Dispose();
    }

    private long ChunksFor(long bytes) => (bytes + ChunkBytes - 1) / ChunkBytes;

    private long NextOffset()
    {
        if (_position + ChunkBytes > FileBytes)
        {
            _position = 0;
        }
        long offset = _position;
        _position += ChunkBytes;
        return offset;
    }

    private IoUring RingFor(int depth)
    {
        if (depth is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), "must be between 1 and 4096");
        }
        if (_ring is not null && _ringDepth == depth)
        {
            return _ring;
        }
        _ring?.Dispose();
        _ring = null;
        if (!IoUring.TryCreate((uint)depth, null, out IoUring? ring, out string? reason))
        {
            throw new InvalidOperationException($"io_uring is unavailable: {reason}");
        }
        _ring = ring!;
        _ringDepth = depth;
        return _ring;
    }

    private void ThrowWriteFailed(string operation, int result) =>
        throw new InvalidOperationException(result < 0
            ? $"{operation} of {ChunkBytes} bytes to {_file.Path} failed: {Errors.Describe(-result)}"
            : $"{operation} to {_file.Path} wrote {result} of {ChunkBytes} bytes");
}
