using System;
using System.Buffers;
using System.Diagnostics;
using System.IO;

namespace FastMQ.Protocol.Compression;

/// <summary>A write-only, reusable stream that appends to an <see cref="IBufferWriter{T}"/>.</summary>
internal sealed class BufferWriterStream : Stream
{
    private IBufferWriter<byte>? _target;
    private long _written;

    public void Reset(IBufferWriter<byte>? target)
    {
        _target = target;
        _written = 0;
    }

    public long BytesWritten => _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Debug.Assert(_target is not null);
        if (buffer.IsEmpty)
        {
            return;
        }
        buffer.CopyTo(_target.GetSpan(buffer.Length));
        _target.Advance(buffer.Length);
        _written += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
