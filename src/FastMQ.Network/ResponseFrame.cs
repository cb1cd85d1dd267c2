using System;

namespace FastMQ.Network;

/// <summary>
/// One response on its way to a socket: a whole frame (size prefix included) written by a protocol writer into a
/// pinned buffer, plus file ranges spliced in at given buffer positions and sent with sendfile (zero-copy fetch).
/// </summary>
/// <remarks>
/// Written on a shard, then owned by the connection's sender; pooled (<see cref="ResponseFramePool"/>), so steady-state
/// responses allocate nothing once buffers have grown to the largest response seen. A file part's descriptor must
/// stay open until the frame is sent. The send order is buffer[..p₁], file part 1, buffer[p₁..p₂], …, buffer[pₙ..end].
/// </remarks>
public sealed class ResponseFrame
{
    /// <summary>A file range sent after the buffer bytes before <see cref="BufferPosition"/>.</summary>
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
    }

    /// <summary>Bytes in the buffer, size prefix included.</summary>
    public int BufferLength => _written;

    public int FilePartCount => _filePartCount;

    /// <summary>Everything that goes on the wire: buffer plus file parts.</summary>
    public long TotalLength => _written + _fileBytes;

    internal byte[] Buffer => _buffer;

    internal ref readonly FilePart GetFilePart(int index) => ref _fileParts[index];

    public void Reset()
    {
        _written = 0;
        _filePartCount = 0;
        _fileBytes = 0;
    }

    /// <summary>
    /// The buffer to write the whole frame into, from its first byte, with room for at least <paramref name="maxBytes"/>.
    /// Finish with <see cref="Commit"/>.
    /// </summary>
    public Span<byte> GetWriteSpan(int maxBytes)
    {
        if (_buffer.Length < maxBytes)
        {
            _buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max(maxBytes, (long)_buffer.Length * 2)), pinned: true);
        }
        _written = 0;
        return _buffer;
    }

    /// <summary>Sets how many buffer bytes the writer produced (the frame length minus external file bytes).</summary>
    public void Commit(int bufferBytes)
    {
        if ((uint)bufferBytes > (uint)_buffer.Length)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(bufferBytes), "beyond the buffer");
        }
        _written = bufferBytes;
    }

    /// <summary>Adds a file range to send at <paramref name="bufferPosition"/> (positions must not decrease).</summary>
    public void AddFilePart(int bufferPosition, int fd, long fileOffset, int length)
    {
        if (length <= 0)
        {
            return;
        }
        if (_filePartCount > 0 && _fileParts[_filePartCount - 1].BufferPosition > bufferPosition)
        {
            Core.ThrowHelper.ArgumentOutOfRange(nameof(bufferPosition), "file parts must be added in buffer order");
        }
        if (_filePartCount == _fileParts.Length)
        {
            Array.Resize(ref _fileParts, _fileParts.Length * 2);
        }
        _fileParts[_filePartCount++] = new FilePart { BufferPosition = bufferPosition, Fd = fd, FileOffset = fileOffset, Length = length };
        _fileBytes += length;
    }
}
