using System;
using System.Buffers.Binary;

namespace FastMQ.Network;

/// <summary>
/// One response on its way to a socket: bytes written into a pinned buffer, interleaved with ranges of files that are
/// sent with sendfile (zero-copy fetch). Starts with a reserved 4-byte size prefix that <see cref="Complete"/> fills.
/// </summary>
/// <remarks>
/// Owned by one shard while it is written, then by the connection's sender; pooled per connection, so steady-state
/// responses allocate nothing. A file part must stay readable (its descriptor open) until the frame is sent.
/// </remarks>
public sealed class ResponseFrame
{
    /// <summary>A file range that follows the buffer bytes before <see cref="BufferPosition"/>.</summary>
    public struct FilePart
    {
        public int BufferPosition;
        public int Fd;
        public long FileOffset;
        public int Length;
    }

    private byte[] _buffer;
    private int _written;
    private FilePart[] _fileParts = new FilePart[8];
    private int _filePartCount;
    private long _fileBytes;

    public ResponseFrame(int initialBytes = 4096)
    {
        _buffer = GC.AllocateUninitializedArray<byte>(initialBytes, pinned: true);
        Reset();
    }

    /// <summary>Bytes written to the buffer, including the size prefix.</summary>
    public int BufferLength => _written;

    public int FilePartCount => _filePartCount;

    /// <summary>Size prefix plus everything after it, file parts included.</summary>
    public long TotalLength => _written + _fileBytes;

    internal byte[] Buffer => _buffer;

    internal ref readonly FilePart GetFilePart(int index) => ref _fileParts[index];

    /// <summary>Clears the frame for reuse and reserves the size prefix.</summary>
    public void Reset()
    {
        _written = 4;
        _filePartCount = 0;
        _fileBytes = 0;
    }

    /// <summary>A span of at least <paramref name="sizeHint"/> bytes to write into; then call <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - _written < sizeHint)
        {
            Grow(sizeHint);
        }
        return _buffer.AsSpan(_written);
    }

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _written))
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(count), "advanced past the buffer");
        }
        _written += count;
    }

    /// <summary>Writes bytes at an earlier position (e.g. to patch a length once it is known).</summary>
    public Span<byte> WrittenSpan(int start, int length) => _buffer.AsSpan(start, length);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _written += bytes.Length;
    }

    /// <summary>Appends a file range at the current position; its bytes go out with sendfile.</summary>
    public void AppendFile(int fd, long fileOffset, int length)
    {
        if (length <= 0)
        {
            return;
        }
        if (_filePartCount == _fileParts.Length)
        {
            Array.Resize(ref _fileParts, _fileParts.Length * 2);
        }
        _fileParts[_filePartCount++] = new FilePart { BufferPosition = _written, Fd = fd, FileOffset = fileOffset, Length = length };
        _fileBytes += length;
    }

    /// <summary>Fills the size prefix (everything after it). Call once all parts are written.</summary>
    public void Complete()
    {
        long size = TotalLength - 4;
        if (size > int.MaxValue)
        {
            Core.ThrowHelper.InvalidOperation("response larger than 2 GiB");
        }
        BinaryPrimitives.WriteInt32BigEndian(_buffer, (int)size);
    }

    private void Grow(int sizeHint)
    {
        int size = Math.Max(_buffer.Length * 2, _written + sizeHint);
        var bigger = GC.AllocateUninitializedArray<byte>(size, pinned: true);
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        _buffer = bigger;
    }
}
